package io.transferportal.requests;

import jakarta.persistence.AttributeConverter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.UserSpec;

/** Stores the request's spec and plan as JSON documents. */
final class Json {

	static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private Json() {
	}

	static class PlanConverter implements AttributeConverter<Plan, String> {

		@Override
		public String convertToDatabaseColumn(Plan plan) {
			return MAPPER.writeValueAsString(plan);
		}

		@Override
		public Plan convertToEntityAttribute(String json) {
			return MAPPER.readValue(json, Plan.class);
		}

	}

	static class SpecConverter implements AttributeConverter<UserSpec, String> {

		@Override
		public String convertToDatabaseColumn(UserSpec spec) {
			return MAPPER.writeValueAsString(spec);
		}

		@Override
		public UserSpec convertToEntityAttribute(String json) {
			return MAPPER.readValue(json, UserSpec.class);
		}

	}

}
