/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote bulletin board: the look-ups (check my vote, check my voting
 * code, check my ballot paper). Everything happens in this page: the code a
 * tenant types is never sent anywhere. The index is small script files, one
 * per first two symbols of a code (of a paper's handle, for papers), each
 * calling tvShard(), tvCredShard() or tvPaperShard(), loaded by <script>
 * elements so that the site works from file:// and under a
 * Content-Security-Policy of default-src 'self'. The page's words, in its
 * own language, are in data- attributes of the form.
 */
(function () {
	"use strict";

	/* SPEC §11.1: Crockford's base 32 */
	var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	var tracking = {}, credentials = {}, papers = {};

	window.tvShard = function (prefix, list) { tracking[prefix] = list; };
	window.tvCredShard = function (prefix, list) { credentials[prefix] = list; };
	window.tvPaperShard = function (prefix, list) { papers[prefix] = list; };

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

	/* §11.1: a typed code's symbols (all of them, check symbol last) check out */
	function luhnValid(symbols) {
		var v = [], i;
		for (i = 0; i < symbols.length - 1; i++)
			v.push(ALPHABET.indexOf(symbols.charAt(i)));
		return ALPHABET.charAt(luhnCheck(v)) === symbols.charAt(symbols.length - 1);
	}

	/* §15.8.1: a typed paper identifier, read as §11.1 reads a code:
	 * {id: the 20 canonical symbols} or {error: a message key, fill} */
	function readPaperId(text) {
		var read = readSymbols(text.trim());
		if (text.trim() === "")
			return { error: "empty" };
		if (read.bad !== null)
			return { error: "badchar", fill: { X: read.bad } };
		if (read.symbols.length === 24)
			return { error: "secret" };
		if (read.symbols.length !== 20)
			return { error: "length", fill: { N: read.symbols.length } };
		if (!luhnValid(read.symbols))
			return { error: "typo", fill: { ID: grouped(read.symbols) } };
		return { id: read.symbols };
	}

	function hexOf(bytes) {
		var out = "", i;
		for (i = 0; i < bytes.length; i++)
			out += ("0" + bytes[i].toString(16)).slice(-2);
		return out;
	}

	function bytesOfHex(hex) {
		var out = new Uint8Array(hex.length / 2), i;
		for (i = 0; i < out.length; i++)
			out[i] = parseInt(hex.substr(2 * i, 2), 16);
		return out;
	}

	/* §3.1: H(purpose; f1, …, fk) = SHA-256(enc(tag) ‖ enc(f1) ‖ … ‖ enc(fk)),
	 * enc(x) = u32be(len(x)) ‖ x, tag = "tenantvote/v1/" ‖ purpose (ASCII).
	 * A promise of the 32 bytes; WebCrypto, so only in a secure context. */
	function hashFields(purpose, fields) {
		var tag = "tenantvote/v1/" + purpose, all = [], total = 0, buf, at = 0, i, j;
		all.push(Uint8Array.from(tag, function (c) { return c.charCodeAt(0); }));
		for (i = 0; i < fields.length; i++)
			all.push(fields[i]);
		for (i = 0; i < all.length; i++)
			total += 4 + all[i].length;
		buf = new Uint8Array(total);
		for (i = 0; i < all.length; i++) {
			new DataView(buf.buffer).setUint32(at, all[i].length, false);
			at += 4;
			for (j = 0; j < all[i].length; j++)
				buf[at++] = all[i][j];
		}
		return window.crypto.subtle.digest("SHA-256", buf).then(function (d) {
			return new Uint8Array(d);
		});
	}

	/* §15.8.1: a paper's handle h = H("paper"; F, id), F the election's
	 * fingerprint (32 bytes), id its 20 canonical symbols as ASCII */
	function paperHandle(electionHex, id) {
		return hashFields("paper", [bytesOfHex(electionHex),
		                            Uint8Array.from(id, function (c) { return c.charCodeAt(0); })]);
	}

	/* for the test suite: the handle (64 hex) of a typed identifier */
	window.tvPaperHandle = function (electionHex, typed) {
		var read = readPaperId(typed);
		if (read.error)
			return Promise.reject(new Error(read.error));
		return paperHandle(electionHex, read.id).then(hexOf);
	};
	/* the shard of a handle: its first ten bits as two symbols (p/XY.js) */
	function paperShard(h) {
		return ALPHABET.charAt(h[0] >> 3) + ALPHABET.charAt(((h[0] & 7) << 2) | (h[1] >> 6));
	}
	window.tvPaperShardOf = function (hex) { return paperShard(bytesOfHex(hex)); };

	function say(form, key, fill) {
		var text = form.getAttribute("data-" + key) || "", k;
		for (k in fill)
			if (Object.prototype.hasOwnProperty.call(fill, k))
				text = text.split("{" + k + "}").join(String(fill[k]));
		return text;
	}

	/* the answer: its words, and (a paper's opening) a table of codes;
	 * key may be a list of keys whose words are joined into one text */
	function show(form, state, key, fill, table) {
		var out = document.getElementById(form.getAttribute("data-result"));
		var keys = typeof key === "string" ? [key] : key, words = [], i;
		for (i = 0; i < keys.length; i++)
			words.push(say(form, keys[i], fill || {}));
		out.textContent = words.join(" ");
		if (table)
			out.appendChild(table);
		out.className = "result result-" + state;
		out.setAttribute("data-state", keys[0]);
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
			/* a ballot paper's stub sends its tenant here (cli/papers_pdf.c) */
			if (read.symbols.length === 20 && form.hasAttribute("data-paper") &&
			    luhnValid(read.symbols)) {
				show(form, "bad", "paper");
				return;
			}
			if (read.symbols.length !== 16) {
				show(form, "bad", "length", { N: read.symbols.length });
				return;
			}
			code = read.symbols;
			if (!luhnValid(code)) {
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

	/* an opened paper's codes, each beside its answer as the paper prints it */
	function codesTable(form, codes) {
		var order = (form.getAttribute("data-answers") || "").split(" ");
		var table = document.createElement("table"), body, row, cell, i;
		table.createCaption().textContent = say(form, "caption", {});
		row = table.createTHead().insertRow();
		for (i = 0; i < 2; i++) {
			cell = document.createElement("th");
			cell.scope = "col";
			cell.textContent = say(form, i === 0 ? "answer" : "code", {});
			row.appendChild(cell);
		}
		body = table.createTBody();
		for (i = 0; i < codes.length && i < order.length; i++) {
			row = body.insertRow();
			cell = document.createElement("th");
			cell.scope = "row";
			cell.textContent = say(form, "answer-" + order[i], {});
			if (form.getAttribute("data-answer-" + order[i] + "-lang"))
				cell.lang = form.getAttribute("data-answer-" + order[i] + "-lang");
			row.appendChild(cell);
			cell = row.insertCell();
			cell.className = "code";
			cell.textContent = codes[i];
		}
		return table;
	}

	var COUNTING = { 1: "counts", 2: "replaced", 3: "revoked" };

	/* SPEC §15.8.5: what the record shows of the paper a tenant typed */
	function checkPaper(form, input) {
		var read = readPaperId(input.value), id;
		if (read.error) {
			show(form, "bad", read.error, read.fill);
			return;
		}
		id = read.id;
		if (!window.crypto || !window.crypto.subtle) {
			show(form, "bad", "nocrypto");
			return;
		}
		show(form, "wait", "wait");
		paperHandle(form.getAttribute("data-election"), id).then(function (h) {
			var prefix = paperShard(h), hex = hexOf(h);
			load("p", prefix, papers, function (ok) {
				var list, i, p = null, fill = { ID: grouped(id) }, keys, counting;
				if (!ok) {
					show(form, "bad", "error");
					return;
				}
				list = papers[prefix];
				for (i = 0; i < list.length; i++)
					if (list[i][0] === hex) {
						p = list[i];
						break;
					}
				if (p === null) {
					show(form, "bad", "notfound", fill);
					return;
				}
				/* [h, state, position, board state, code or reason, codes] */
				fill.P = p[2];
				counting = COUNTING[p[3]];
				if (p[1] === 1) {
					fill.CODE = p[4];
					show(form, p[3] === 1 ? "good" : "warn", ["cast", counting, "compare"], fill);
				} else if (p[1] === 2) {
					fill.REASON = say(form, "reason-" + p[4], {});
					keys = ["rejected", p[3] === 1 ? "counts-rejected" : counting];
					if (p[5].length > 0)
						keys.push("opened-rejected");
					show(form, "warn", keys, fill,
					     p[5].length > 0 ? codesTable(form, p[5]) : null);
				} else if (p[1] === 3) {
					show(form, "warn", "opened", fill, codesTable(form, p[5]));
				} else {
					show(form, "bad", "notcast", fill);
				}
			});
		}, function () {
			show(form, "bad", "nocrypto");
		});
	}

	function setUp(form) {
		var input = document.getElementById(form.getAttribute("data-input"));
		var kind = form.getAttribute("data-kind");
		var run = kind === "vote" ? checkVote : kind === "paper" ? checkPaper : checkCredential;

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
