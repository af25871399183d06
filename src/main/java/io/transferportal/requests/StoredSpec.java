package io.transferportal.requests;

import io.transferportal.provisioning.UserSpec;

/**
 * A spec read on its own from a managed user or a request (a query's projection), without
 * loading the entity it is stored in.
 *
 * @param spec the stored spec
 */
record StoredSpec(UserSpec spec) {

}
