/**
 * Pure targeting (fleet-semantics §2.5 steps 4-7, §3, §5.1-§5.4): which clusters get a BundleDeployment of a bundle
 * and with which options. {@link io.flotilla.manager.targeting.TargetingEngine} evaluates one bundle in full;
 * {@link io.flotilla.manager.targeting.TargetingIndex} keeps the desired BundleDeployment set up to date one input
 * change at a time. Plain records in, plain records out: no I/O here.
 */
package io.flotilla.manager.targeting;
