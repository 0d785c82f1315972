/** The Kubernetes resource model Osprey acts on (InferencePool, InferenceModel, Pods) and its loaders. */
package dev.osprey.api;
