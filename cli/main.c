/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote: the returning officer's command line. It only parses
 * arguments, handles files and prints; everything else is the library's
 * public API, so council software can do all that this tool does.
 */
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "cli.h"

static const cli_verb verbs[] = {
	{ "init", "make a new election in a folder", cli_init, cli_init_help },
	{ "show", "every setting of an election, in English and Welsh", cli_show, cli_show_help },
	{ "register", "import the tenant register (register import FILE.csv)", cli_register,
	  cli_register_help },
	{ "credentials", "tenants' credential codes (credentials make, import, issue)", cli_credentials,
	  cli_credentials_help },
	{ "trustee", "one trustee's step of the key ceremony (keygen, share, combine)",
	  cli_trustee, cli_trustee_help },
	{ "ceremony", "run the whole key ceremony on this machine (demos, tests)",
	  cli_ceremony, cli_ceremony_help },
	{ "open", "open voting (makes the ballot box's signing key)", cli_open, cli_open_help },
	{ "vote", "cast one tenant's ballot and print the receipt", cli_vote, cli_vote_help },
	{ "papers", "pre-encrypted ballot papers (papers make, import, open, openings, find)",
	  cli_papers, cli_papers_help },
	{ "intake", "cast a batch of postal or phone papers from a CSV file", cli_intake,
	  cli_intake_help },
	{ "close", "close voting: nothing is accepted afterwards", cli_close, cli_close_help },
	{ "tally", "after close: the encrypted totals, for the trustees", cli_tally, cli_tally_help },
	{ "declare", "combine the trustees' decryptions and declare the result", cli_declare,
	  cli_declare_help },
	{ "export", "write the public record (export --record OUT)", cli_export, cli_export_help },
	{ "verify", "check a public record, every step", cli_verify, cli_verify_help },
	{ "publish", "write the public bulletin board of a record (publish --site OUT RECORD)",
	  cli_publish, cli_publish_help },
	{ "receipt", "check a tenant's receipt against the box (receipt check FILE)", cli_receipt,
	  cli_receipt_help },
	{ "marked-register", "who has voted, by channel, never how (logged)", cli_marked,
	  cli_marked_help },
	{ "status", "the election's stage and electorate", cli_status, cli_status_help },
	{ "log", "the ballot box's audit log: who did what when", cli_log, cli_log_help },
	{ "backup", "a consistent, checked copy of the ballot box, even during voting",
	  cli_backup, cli_backup_help },
	{ "demo", "run a demonstration ballot end to end", cli_demo, cli_demo_help },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
	        "Usage: tenantvote VERB [OPTIONS]\n"
	        "       tenantvote --help | --version\n"
	        "       tenantvote help VERB\n"
	        "\n"
	        "Runs and counts housing stock transfer ballots that every tenant can\n"
	        "check and anyone can verify, without revealing how anyone voted.\n"
	        "\n"
	        "Verbs:\n");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-12s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(out,
	        "\n"
	        "A whole ballot: init, register import, credentials issue, ceremony (or\n"
	        "trustee keygen/share/combine), open, vote and intake, close, tally,\n"
	        "trustee decrypt (any K trustees), declare, export --record; anyone then\n"
	        "runs verify on the record. 'tenantvote demo' shows it all.\n"
	        "\n"
	        "'tenantvote VERB --help' and 'man tenantvote-VERB' describe each verb.\n"
	        "Long steps show their progress on a terminal; '--progress json' with any\n"
	        "verb writes it to standard error as one JSON object a line, for programs.\n"
	        "Exit status, for every verb: 0 success; 1 refused or bad input (something\n"
	        "checked was wrong, not allowed at this stage, or a check's answer is no);\n"
	        "2 bad command line; 3 a system or I/O failure (a file, a full disk, a busy\n"
	        "box, memory). 'man tenantvote' has the table.\n");
}

static const cli_verb *find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/*
 * Codes, passphrases, trustees' shares and the box key pass through this
 * process's memory: no core file may hold them, and no other process of
 * the same user may read them through ptrace or /proc/PID/mem.
 */
static void keep_secrets_in(void)
{
	struct rlimit none = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &none);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
	const cli_verb *verb;

	keep_secrets_in();
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (cli_is_help(argv[1])) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tenantvote %s\n", tv_version());
		return CLI_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return CLI_OK;
		}
		verb = find_verb(argv[2]);
		if (verb == NULL) {
			cli_error("no verb '%s'; 'tenantvote --help' lists them", argv[2]);
			return CLI_USAGE;
		}
		verb->help(stdout);
		return CLI_OK;
	}
	verb = find_verb(argv[1]);
	if (verb == NULL) {
		cli_error("no verb '%s'; 'tenantvote --help' lists them", argv[1]);
		return CLI_USAGE;
	}
	/* --progress json, for every verb: taken out before the verb reads its options */
	for (int i = 2; i < argc; i++) {
		int words = strcmp(argv[i], "--progress") == 0 ? 2 :
		            strncmp(argv[i], "--progress=", 11) == 0 ? 1 : 0;
		const char *how = words == 2 ? (i + 1 < argc ? argv[i + 1] : "") :
		                  words == 1 ? argv[i] + 11 : NULL;

		if (how == NULL)
			continue;
		if (strcmp(how, "json") != 0 && strcmp(how, "terminal") != 0) {
			cli_error("--progress takes json or terminal, not '%s'", how);
			return CLI_USAGE;
		}
		cli_progress_json = strcmp(how, "json") == 0;
		memmove(&argv[i], &argv[i + words], (size_t)(argc - i - words + 1) * sizeof(*argv));
		argc -= words;
		i--;
	}
	return verb->run(argc - 1, argv + 1);
}
