/** A Go text/template subset with {@code ${ }} delimiters, used to template Helm values with cluster data (§3.8). */
package io.flotilla.manager.targeting.template;
