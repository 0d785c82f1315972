/** Declarative configuration keys (name, default, doc, parser) shared by the EPP's config record and docs. */
package dev.osprey.epp.config;
