package io.transferportal.ticketing;

import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/** Stops reading a body without Content-Length (chunked) once it passes the limit. */
class LimitedBodyRequest extends HttpServletRequestWrapper {

	private final long limit;

	LimitedBodyRequest(HttpServletRequest request, long limit) {
		super(request);
		this.limit = limit;
	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		ServletInputStream in = super.getInputStream();
		return new ServletInputStream() {

			private long read;

			@Override
			public int read() throws IOException {
				int b = in.read();
				if (b >= 0 && ++this.read > LimitedBodyRequest.this.limit) {
					throw new PayloadTooLargeException();
				}
				return b;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int n = in.read(buffer, offset, length);
				if (n > 0) {
					this.read += n;
					if (this.read > LimitedBodyRequest.this.limit) {
						throw new PayloadTooLargeException();
					}
				}
				return n;
			}

			@Override
			public boolean isFinished() {
				return in.isFinished();
			}

			@Override
			public boolean isReady() {
				return in.isReady();
			}

			@Override
			public void setReadListener(ReadListener listener) {
				in.setReadListener(listener);
			}

		};
	}

	/** Thrown while reading; the API's exception handler answers 413. */
	static class PayloadTooLargeException extends IOException {

		PayloadTooLargeException() {
			super("request body too large");
		}

	}

}
