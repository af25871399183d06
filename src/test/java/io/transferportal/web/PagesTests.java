package io.transferportal.web;

import org.junit.jupiter.api.Test;
import org.springframework.data.domain.PageRequest;

import static org.assertj.core.api.Assertions.assertThat;

class PagesTests {

	/**
	 * {@code /requests/batches?page=2147483647} was a 500: the database offset (page ×
	 * size) overflowed an int.
	 */
	@Test
	void aPageNumberFromTheUrlKeepsTheOffsetWithinAnInt() {
		PageRequest last = Pages.zeroBased(Integer.MAX_VALUE, 50);

		assertThat(last.getPageNumber()).isEqualTo(Pages.MAX_PAGE - 1);
		assertThat(last.getOffset()).isLessThan(Integer.MAX_VALUE);
		assertThat(Pages.zeroBased(-5, 50).getPageNumber()).isZero();
		assertThat(Pages.zeroBased(3, 50)).isEqualTo(PageRequest.of(3, 50));
	}

}
