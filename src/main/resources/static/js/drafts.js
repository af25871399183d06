/*
 * Keeps what a person typed into a form (<form data-draft="name">) when posting it fails because the session expired.
 * When the form is sent, its fields are kept in this tab's sessionStorage; the portal then either shows another page
 * (the post worked, or was answered with the form and its errors) or, for an expired session, the sign-in page saying
 * so and, after signing in, the form's page again. So:
 *  - on the sign-in page, drafts are kept, and the page saying the session expired marks them as wanted;
 *  - on the next other page, wanted drafts are put back into their forms (only into empty fields, so that a form the
 *    server filled wins);
 *  - then, and on every other page, drafts are forgotten.
 * Passwords, hidden fields (CSRF tokens), files and anything holding a private key are never kept.
 */
(function () {
	'use strict';
	var PREFIX = 'portal-draft:';
	var WANTED = 'portal-drafts-wanted';

	function keep(form) {
		var values = {};
		Array.prototype.forEach.call(form.elements, function (field) {
			if (!field.name || ['password', 'hidden', 'file', 'submit', 'button'].indexOf(field.type) >= 0) {
				return;
			}
			if (/PRIVATE KEY/.test(field.value)) {
				return;
			}
			if (field.type === 'checkbox' || field.type === 'radio') {
				if (field.checked) {
					(values[field.name] = values[field.name] || []).push(field.value);
				}
				return;
			}
			values[field.name] = [field.value];
		});
		try {
			sessionStorage.setItem(PREFIX + form.dataset.draft, JSON.stringify(values));
		}
		catch (e) {
			// storage full or disabled: the form is sent anyway
		}
	}

	function restore(form, values) {
		var restored = false;
		Array.prototype.forEach.call(form.elements, function (field) {
			var kept = values[field.name];
			if (!kept || !field.name) {
				return;
			}
			if (field.type === 'checkbox' || field.type === 'radio') {
				if (kept.indexOf(field.value) >= 0 && !field.checked) {
					field.checked = true;
					restored = true;
				}
			}
			else if (field.value === '' && kept[0] !== '') {
				field.value = kept[0];
				restored = true;
			}
		});
		return restored;
	}

	document.addEventListener('submit', function (event) {
		var form = event.target;
		if (form instanceof HTMLFormElement && form.dataset.draft && form.method.toLowerCase() === 'post') {
			keep(form);
		}
	});

	document.addEventListener('DOMContentLoaded', function () {
		if (document.body.dataset.page === 'login') {
			if (document.querySelector('[data-session-expired]')) {
				sessionStorage.setItem(WANTED, '1');
			}
			return;
		}
		var wanted = sessionStorage.getItem(WANTED) === '1';
		sessionStorage.removeItem(WANTED);
		var onPage = {};
		document.querySelectorAll('form[data-draft]').forEach(function (form) {
			onPage[form.dataset.draft] = form;
		});
		for (var i = sessionStorage.length - 1; i >= 0; i--) {
			var key = sessionStorage.key(i);
			if (key.indexOf(PREFIX) !== 0) {
				continue;
			}
			var form = onPage[key.substring(PREFIX.length)];
			if (wanted && form) {
				try {
					if (restore(form, JSON.parse(sessionStorage.getItem(key)))) {
						var notice = document.getElementById('draft-restored');
						if (notice) {
							notice.hidden = false;
						}
					}
				}
				catch (e) {
					// a draft that cannot be read is dropped
				}
			}
			sessionStorage.removeItem(key);
		}
	});
})();
