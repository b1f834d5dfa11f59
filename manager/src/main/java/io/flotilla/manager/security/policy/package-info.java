/**
 * Access-control decisions as pure logic (no I/O): roles, identities, how a request reads to authorisation, and the
 * policy. {@code PurePackagesTest} keeps it free of I/O libraries.
 */
package io.flotilla.manager.security.policy;
