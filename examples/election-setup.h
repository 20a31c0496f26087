/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The returning officer's set-up, through the public API only, shared by
 * the examples that need an open election: a manifest, a register of
 * EXAMPLE_TENANTS tenants, their credentials, a one-trustee key ceremony
 * and the ballot box key written to DIR/box-key.secret (SPEC §13.5.1)
 * before voting opens. docs/integrating.md walks through the same steps.
 */
#ifndef EXAMPLE_ELECTION_SETUP_H
#define EXAMPLE_ELECTION_SETUP_H

#include <stddef.h>

#include <tenantvote/tenantvote.h>

#define EXAMPLE_TENANTS 4

/* the ballot box passphrase of the examples; real software reads it from
 * a terminal or a file the operator names, never from its source or a
 * command line */
#define EXAMPLE_BOX_PASSPHRASE "example box passphrase"

typedef struct example_election {
	tv_ctx *ctx;
	tv_box *box;                  /* the open ballot box */
	const tv_manifest *manifest;  /* borrowed from the box */
	tv_election_key key;          /* from the key ceremony */
	char root[4096];              /* a new temporary folder ... */
	char dir[4200];               /* ... and the election folder in it */
	char key_file[4300];          /* DIR/box-key.secret */
	/* what the letters carry: in real life printed and posted, never kept */
	char codes[EXAMPLE_TENANTS][TV_CREDENTIAL_TEXT_LEN + 1];
	size_t letters;
} example_election;

/* Make an open election in a new temporary folder; 0 on success, else a
 * message on stderr and non-zero (call example_election_free() either way). */
int example_election_make(example_election *e, tv_ctx *ctx);

/* Close the box, remove the temporary folder and wipe the codes. */
void example_election_free(example_election *e);

/* Read the ballot box key from its file, as the box's server does when it
 * starts; 0 on success. Wipe it with tv_ed25519_secret_wipe(). */
int example_load_box_key(example_election *e, tv_ed25519_secret_key *key);

/* Say what failed, with the library's detail; returns 1. */
int example_fail(tv_ctx *ctx, const char *doing, tv_status st);

/* Say a check the example makes did not hold; returns 1. */
int example_wrong(const char *what);

#endif
