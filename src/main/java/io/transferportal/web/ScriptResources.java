package io.transferportal.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The portal's own scripts at {@code /js/**}, beside the stylesheets that Boot serves at
 * {@code /css/**} ({@code spring.mvc.static-path-pattern}): two fixed paths, so that no
 * other URL is looked up as a static file.
 */
@Configuration(proxyBeanMethods = false)
class ScriptResources implements WebMvcConfigurer {

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler("/js/**").addResourceLocations("classpath:/static/js/");
	}

}
