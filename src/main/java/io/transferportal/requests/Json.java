package io.transferportal.requests;

import java.util.List;

import jakarta.persistence.AttributeConverter;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.transferportal.provisioning.Plan;
import io.transferportal.provisioning.UserSpec;

/** Stores specs, plans and key lists as JSON documents. */
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

	static class StringListConverter implements AttributeConverter<List<String>, String> {

		/**
		 * No list is SQL NULL (rows written before stored the JSON text {@code null}).
		 */
		@Override
		public @Nullable String convertToDatabaseColumn(@Nullable List<String> values) {
			return (values != null) ? MAPPER.writeValueAsString(values) : null;
		}

		@Override
		public @Nullable List<String> convertToEntityAttribute(@Nullable String json) {
			if (json == null) {
				return null;
			}
			return MAPPER.readValue(json, new TypeReference<List<String>>() {
			});
		}

	}

}
