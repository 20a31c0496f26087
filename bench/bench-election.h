/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The benches' one election: a yes/no stock transfer ballot for Bench
 * County Council, and a register of tenants B1, B2, ... (or another
 * prefix), shared by tenantvote-bench and tenantvote-castbench.
 */
#ifndef TV_BENCH_ELECTION_H
#define TV_BENCH_ELECTION_H

#include <stdio.h>
#include <stdlib.h>

#include <tenantvote/tenantvote.h>

/* @p o (TV_MANIFEST_OPTIONS_INIT) as the benches' election; the caller
 * sets its channels and revote policy */
static inline void bench_election(tv_manifest_options *o, const char *id, int64_t opens,
                                  int64_t closes, size_t trustees)
{
	o->election_id = id;
	o->council = "Bench County Council";
	o->landlord = "Bench Housing Mutual";
	o->title.en = "Stock transfer ballot";
	o->question.en = "Do you support the transfer?";
	o->option_count = 2;
	o->options[0].en = "Yes";
	o->options[1].en = "No";
	o->transfer_option = 1;
	o->opens = opens;
	o->closes = closes;
	o->trustees = trustees;
	o->threshold = trustees;
}

/* a register of @p n tenants, references @p prefix 1..n, malloc'd into
 * *csv with its length in *len; 0 without memory */
static inline int bench_register(char **csv, size_t *len, size_t n, char prefix)
{
	size_t cap = 64 + n * 64, at;

	if ((*csv = malloc(cap)) == NULL)
		return 0;
	at = (size_t)snprintf(*csv, cap, "tenancy_ref,name,address,tenancy_type\n");
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(*csv + at, cap - at, "%c%zu,Tenant %zu,%zu Bench Street,secure\n",
		                       prefix, i + 1, i + 1, i + 1);
	*len = at;
	return 1;
}

#endif
