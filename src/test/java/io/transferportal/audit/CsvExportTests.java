package io.transferportal.audit;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one CSV writer: RFC 4180 quoting where needed, CRLF, formula cells neutralised. */
class CsvExportTests {

	@Test
	void cellsThatASpreadsheetWouldRunAsAFormulaArePrefixed() {
		assertThat(csv("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "plain"))
			.isEqualTo("'=1+2,'+1,'-1,'@SUM(A1),'\tx,plain\r\n");
	}

	@Test
	void cellsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
		assertThat(csv("a,b", "say \"hi\"", "two\nlines", "\rcr"))
			.isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'\rcr\"\r\n");
	}

	@Test
	void nullAndEmptyAreEmptyCellsAndOtherValuesTheirText() {
		assertThat(csv(null, "", 42L, "x")).isEqualTo(",,42,x\r\n");
	}

	@Test
	void rowsEndWithCrlfAndTheWriterStaysOpen() {
		StringWriter out = new StringWriter();
		CsvExport.write(List.of(List.of("a", "b")), out);
		CsvExport.write(List.of(List.of("c", "d"), List.of("e", "f")), out);
		assertThat(out.toString()).isEqualTo("a,b\r\nc,d\r\ne,f\r\n");
	}

	private static String csv(Object... cells) {
		StringWriter out = new StringWriter();
		CsvExport.write(List.of(Arrays.asList(cells)), out);
		return out.toString();
	}

}
