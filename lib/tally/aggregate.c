/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.1: the encrypted totals, added up from a stream of counted
 * entries, one per credential by the revote policy. The same code serves
 * the ballot box (lib/box/box_tally.c, from its SQLite board) and the
 * verifier (lib/record/verify.c, from board.jsonl), so both count by one
 * definition: a ballot adds its ciphertexts to the sums, a spoilt paper
 * counts under its reason, and every counted entry under its channel.
 */
#include <string.h>

#include "tally_internal.h"

tv_status tv__aggregate_start(tv_ctx *ctx, tv__aggregate *a, const tv_manifest *m,
                              const tv_point *key, const uint8_t election[32],
                              const uint8_t head[32], uint64_t entries, uint64_t electorate)
{
	tv_status status;

	memset(a, 0, sizeof(*a));
	a->ctx = ctx;
	if ((a->tally = tv__tally_new(ctx)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a tally");
	memcpy(a->tally->info.election, election, 32);
	memcpy(a->tally->info.head, head, 32);
	a->tally->info.entries = entries;
	a->tally->info.electorate = electorate;
	a->tally->info.options = (uint32_t)tv_manifest_option_count(m);
	/* every sum starts from (h·G, h·K), h from the final head: defined with
	 * no ballots at all, and out of any voter's reach (SPEC §17.1.2) */
	for (uint32_t i = 0; i < a->tally->info.options; i++)
		if ((status = tv__ct_sum_start(ctx, &a->sum[i], key, election, head)) != TV_OK) {
			tv__aggregate_free(a);
			return status;
		}
	return TV_OK;
}

/*
 * Totals kept while the board is read (the verifier, SPEC §19.5): the
 * board's end is not known yet, so the sums start from the point at
 * infinity and tv__aggregate_close adds their start (§17.1.2) and the
 * board's figures at the end; an entry replaced by a later one (a revote
 * under "last") or revoked is taken out again with tv__aggregate_remove_*.
 */
tv_status tv__aggregate_open(tv_ctx *ctx, tv__aggregate *a, const tv_manifest *m)
{
	tv_status status;

	memset(a, 0, sizeof(*a));
	a->ctx = ctx;
	if ((a->tally = tv__tally_new(ctx)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a tally");
	a->tally->info.options = (uint32_t)tv_manifest_option_count(m);
	for (uint32_t i = 0; i < a->tally->info.options; i++)
		if ((status = tv__ct_sum_zero(ctx, &a->sum[i])) != TV_OK) {
			tv__aggregate_free(a);
			return status;
		}
	return TV_OK;
}

tv_status tv__aggregate_close(tv__aggregate *a, const tv_point *key, const uint8_t election[32],
                              const uint8_t head[32], uint64_t entries, uint64_t electorate)
{
	tv_tally_info *info = &a->tally->info;
	tv_status status = TV_OK;

	memcpy(info->election, election, 32);
	memcpy(info->head, head, 32);
	info->entries = entries;
	info->electorate = electorate;
	for (uint32_t i = 0; i < info->options && status == TV_OK; i++)
		status = tv__ct_sum_add_start(a->ctx, &a->sum[i], key, election, head);
	return status;
}

tv_status tv__aggregate_remove_ballot(tv__aggregate *a, uint32_t channel,
                                      const tv_ciphertext *cts, uint32_t options)
{
	tv_tally_info *info = &a->tally->info;
	int c = tv__channel_index(channel);
	tv_status status = TV_OK;

	if (c < 0 || options != info->options || info->ballots == 0 || info->by_channel[c] == 0)
		return tv__fail(a->ctx, TV_ERR_INTERNAL, "a ballot taken out of the totals was "
		                "not in them");
	for (uint32_t i = 0; i < info->options && status == TV_OK; i++)
		status = tv__ct_sum_sub(a->ctx, &a->sum[i], &cts[i]);
	if (status != TV_OK)
		return status;
	info->ballots--;
	info->by_channel[c]--;
	return TV_OK;
}

tv_status tv__aggregate_remove_spoilt(tv__aggregate *a, uint32_t channel, tv_spoilt_reason reason)
{
	tv_tally_info *info = &a->tally->info;
	int c = tv__channel_index(channel);

	if (c < 0 || reason < 1 || reason > TV_SPOILT_REASONS || info->spoilt[reason - 1] == 0 ||
	    info->by_channel[c] == 0)
		return tv__fail(a->ctx, TV_ERR_INTERNAL, "a spoilt paper taken out of the totals "
		                "was not in them");
	info->spoilt[reason - 1]--;
	info->by_channel[c]--;
	return TV_OK;
}

tv_status tv__aggregate_add_ballot(tv__aggregate *a, uint32_t channel,
                                   const tv_ciphertext *cts, uint32_t options)
{
	tv_tally_info *info = &a->tally->info;
	int c = tv__channel_index(channel);
	tv_status status = TV_OK;

	if (c < 0)
		return tv__fail(a->ctx, TV_ERR_ENCODING, "channel %u is not a channel", channel);
	if (options != info->options)
		return tv__fail(a->ctx, TV_ERR_ENCODING,
		                "a ballot with %u answers, in an election with %u", options,
		                info->options);
	for (uint32_t i = 0; i < info->options && status == TV_OK; i++)
		status = tv__ct_sum_add(a->ctx, &a->sum[i], &cts[i]);
	if (status != TV_OK)
		return status;
	info->ballots++;
	info->by_channel[c]++;
	return TV_OK;
}

tv_status tv__aggregate_add_spoilt(tv__aggregate *a, uint32_t channel, tv_spoilt_reason reason)
{
	tv_tally_info *info = &a->tally->info;
	int c = tv__channel_index(channel);

	if (c < 0)
		return tv__fail(a->ctx, TV_ERR_ENCODING, "channel %u is not a channel", channel);
	if (reason < 1 || reason > TV_SPOILT_REASONS)
		return tv__fail(a->ctx, TV_ERR_ENCODING, "%d is not a reason for spoiling a paper",
		                (int)reason);
	info->spoilt[reason - 1]++;
	info->by_channel[c]++;
	return TV_OK;
}

tv_status tv__aggregate_add(tv__aggregate *a, uint32_t channel, const tv_ballot *ballot,
                            const tv_spoilt *spoilt)
{
	tv_ciphertext cts[TV_MAX_OPTIONS];
	uint32_t k;

	if ((ballot == NULL) == (spoilt == NULL))
		return tv__fail(a->ctx, TV_ERR_INVALID_ARGUMENT,
		                "a counted entry is a ballot or a spoilt paper");
	if (spoilt != NULL)
		return tv__aggregate_add_spoilt(a, channel, tv_spoilt_get_reason(spoilt));
	k = tv_ballot_option_count(ballot);
	for (uint32_t i = 0; i < k && i < TV_MAX_OPTIONS; i++)
		cts[i] = *tv_ballot_ciphertext(ballot, i + 1);
	return tv__aggregate_add_ballot(a, channel, cts, k);
}

tv_status tv__aggregate_finish(tv__aggregate *a, tv_tally **out)
{
	tv_tally *t = a->tally;
	tv_status status;

	for (uint32_t i = 0; i < t->info.options; i++) {
		if ((status = tv__ct_sum_get(a->ctx, &t->sum[i], &a->sum[i])) != TV_OK) {
			/* the nonces of every counted ballot, and h, add up to 0 */
			if (status == TV_ERR_POINT_INVALID)
				status = tv__fail(a->ctx, status, "option %u: the sum of the counted "
				                  "ballots is the point at infinity", i + 1);
			tv__aggregate_free(a);
			return status;
		}
		t->have_sum[i] = 1;
	}
	*out = t;
	a->tally = NULL;
	tv__aggregate_free(a);
	return TV_OK;
}

void tv__aggregate_free(tv__aggregate *a)
{
	for (uint32_t i = 0; i < TV_MAX_OPTIONS; i++)
		tv__ct_sum_free(&a->sum[i]);
	tv_tally_free(a->tally);
	a->tally = NULL;
}
