/**
 * Cluster discovery: a {@link dev.osprey.api.ResourceSource} fed by fabric8 informers on InferencePools,
 * InferenceModels, InferenceObjectives, InferenceModelRewrites and Pods.
 */
package dev.osprey.api.kubernetes;
