/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote bulletin board: the two look-ups (check my vote, check my
 * voting code). Everything happens in this page: the code a tenant types
 * is never sent anywhere. The index is small script files, one per first
 * two symbols of a code, each calling tvShard() or tvCredShard(), loaded
 * by <script> elements so that the site works from file:// and under a
 * Content-Security-Policy of default-src 'self'. The page's words, in its
 * own language, are in data- attributes of the form.
 */
(function () {
	"use strict";

	/* SPEC §11.1: Crockford's base 32 */
	var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	var tracking = {}, credentials = {};

	window.tvShard = function (prefix, list) { tracking[prefix] = list; };
	window.tvCredShard = function (prefix, list) { credentials[prefix] = list; };

	/* §11.1: the Luhn mod 32 check symbol of the values v (right to left, factor 2 first) */
	function luhnCheck(v) {
		var sum = 0, factor = 2, i, a;
		for (i = v.length - 1; i >= 0; i--) {
			a = factor * v[i];
			sum += Math.floor(a / 32) + (a % 32);
			factor = 3 - factor;
		}
		return (32 - (sum % 32)) % 32;
	}

	/* a code as typed: case, spaces and hyphens do not matter; O reads as
	 * 0, I and L as 1 (§11.1). {symbols: "...", bad: first bad character} */
	function readSymbols(text) {
		var out = "", i, c;
		for (i = 0; i < text.length; i++) {
			c = text.charAt(i).toUpperCase();
			if (c === "-" || c === " " || c === "\t" || c === "\n" || c === "\r" ||
			    c === "\u2010" || c === "\u2011" || c === "\u2013" || c === "\u00a0")
				continue;
			if (c === "O") c = "0";
			else if (c === "I" || c === "L") c = "1";
			if (ALPHABET.indexOf(c) < 0)
				return { symbols: out, bad: text.charAt(i) };
			out += c;
		}
		return { symbols: out, bad: null };
	}

	/* §15.1.2: the short code of the 32-byte tracking code T (64 hex):
	 * its first 75 bits as 15 symbols, then their check symbol */
	function shortFromLong(hex) {
		var bits = "", i, v = [], code = "";
		for (i = 0; i < 19; i++)
			bits += ("000" + parseInt(hex.charAt(i), 16).toString(2)).slice(-4);
		for (i = 0; i < 15; i++)
			v.push(parseInt(bits.substr(i * 5, 5), 2));
		v.push(luhnCheck(v));
		for (i = 0; i < 16; i++)
			code += ALPHABET.charAt(v[i]);
		return code;
	}
	window.tvShortFromLong = shortFromLong; /* for the test suite */

	function grouped(symbols) {
		return symbols.replace(/(.{4})(?=.)/g, "$1-");
	}

	function say(form, key, fill) {
		var text = form.getAttribute("data-" + key) || "", k;
		for (k in fill)
			if (Object.prototype.hasOwnProperty.call(fill, k))
				text = text.split("{" + k + "}").join(String(fill[k]));
		return text;
	}

	function show(form, state, key, fill) {
		var out = document.getElementById(form.getAttribute("data-result"));
		out.textContent = say(form, key, fill || {});
		out.className = "result result-" + state;
		out.setAttribute("data-state", key);
		out.hidden = false;
	}

	function load(folder, prefix, table, done) {
		var s;
		if (Object.prototype.hasOwnProperty.call(table, prefix)) {
			done(true);
			return;
		}
		s = document.createElement("script");
		s.src = folder + "/" + prefix + ".js";
		s.onload = function () { done(Object.prototype.hasOwnProperty.call(table, prefix)); };
		s.onerror = function () { done(false); };
		document.head.appendChild(s);
	}

	var STATES = { 1: "counts", 2: "replaced", 3: "revoked", 4: "opened", 5: "change" };

	/* the text of a pasted receipt in JSON form: its tracking code, or
	 * "another election" when it is not this board's */
	function fromReceipt(form, text) {
		var r;
		try { r = JSON.parse(text); } catch (e) { return { error: "bad" }; }
		if (r === null || typeof r !== "object" || typeof r.tracking !== "string")
			return { error: "bad" };
		if (typeof r.election === "string" &&
		    r.election.toLowerCase() !== form.getAttribute("data-election"))
			return { error: "other" };
		return { text: r.tracking };
	}

	function checkVote(form, input) {
		var text = input.value.trim(), read, code, hex;
		if (text === "") {
			show(form, "bad", "empty");
			return;
		}
		if (text.charAt(0) === "{") {
			var got = fromReceipt(form, text);
			if (got.error) {
				show(form, "bad", got.error);
				return;
			}
			text = got.text;
		}
		hex = text.replace(/[\s-]/g, "");
		if (/^[0-9a-fA-F]{64}$/.test(hex)) {
			code = shortFromLong(hex);
		} else {
			read = readSymbols(text);
			if (read.bad !== null) {
				show(form, "bad", "badchar", { X: read.bad });
				return;
			}
			if (read.symbols.length !== 16) {
				show(form, "bad", "length", { N: read.symbols.length });
				return;
			}
			code = read.symbols;
			var v = [], i;
			for (i = 0; i < 15; i++)
				v.push(ALPHABET.indexOf(code.charAt(i)));
			if (ALPHABET.charAt(luhnCheck(v)) !== code.charAt(15)) {
				show(form, "bad", "typo", { CODE: grouped(code) });
				return;
			}
		}
		show(form, "wait", "wait");
		load("t", code.substr(0, 2), tracking, function (ok) {
			var list, i, hit = null;
			if (!ok) {
				show(form, "bad", "error");
				return;
			}
			list = tracking[code.substr(0, 2)];
			for (i = 0; i < list.length; i++)
				if (list[i][1] === code.substr(2)) {
					hit = list[i];
					break;
				}
			if (hit === null)
				show(form, "bad", "notfound", { CODE: grouped(code) });
			else
				show(form, hit[2] === 1 ? "good" : "warn", STATES[hit[2]] || "notfound",
				     { P: hit[0], CODE: grouped(code) });
		});
	}

	function checkCredential(form, input) {
		var read = readSymbols(input.value.trim()), code;
		if (input.value.trim() === "") {
			show(form, "bad", "empty");
			return;
		}
		if (read.bad !== null) {
			show(form, "bad", "badchar", { X: read.bad });
			return;
		}
		if (read.symbols.length === 24) {
			show(form, "bad", "secret");
			return;
		}
		if (read.symbols.length !== 8) {
			show(form, "bad", "length", { N: read.symbols.length });
			return;
		}
		code = read.symbols;
		show(form, "wait", "wait");
		load("c", code.substr(0, 2), credentials, function (ok) {
			if (!ok) {
				show(form, "bad", "error");
				return;
			}
			show(form, credentials[code.substr(0, 2)].indexOf(code.substr(2)) >= 0 ? "good" : "bad",
			     credentials[code.substr(0, 2)].indexOf(code.substr(2)) >= 0 ? "found" : "notfound",
			     { CODE: grouped(code) });
		});
	}

	function setUp(form) {
		var input = document.getElementById(form.getAttribute("data-input"));
		var run = form.getAttribute("data-kind") === "vote" ? checkVote : checkCredential;

		form.addEventListener("submit", function (ev) {
			ev.preventDefault();
			run(form, input);
		});
		if (form.getAttribute("data-kind") !== "vote")
			return;
		/* SPEC §15.1.2: a receipt's check address is check.html#CODE; the
		 * code stays in the fragment, which no browser sends to a server */
		function fromHash() {
			var h = location.hash.replace(/^#/, "");
			var links = document.querySelectorAll("a[hreflang]"), i;
			try { h = decodeURIComponent(h); } catch (e) { /* as it is */ }
			for (i = 0; i < links.length; i++)
				links[i].setAttribute("href", links[i].getAttribute("href").replace(/#.*$/, "") +
				                      location.hash);
			if (h === "")
				return;
			input.value = h;
			run(form, input);
		}
		window.addEventListener("hashchange", fromHash);
		fromHash();
	}

	var forms = document.querySelectorAll("form[data-kind]"), i;
	for (i = 0; i < forms.length; i++)
		setUp(forms[i]);
}());
