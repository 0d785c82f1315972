/** Configuration sources every Osprey process reads at its edge: a properties file and prefixed variables. */
package dev.osprey.schemas.config;
