/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between the record's writer and its verifier (SPEC §18). */
#ifndef TV_RECORD_INTERNAL_H
#define TV_RECORD_INTERNAL_H

#define TV_RECORD_FORMAT "tenantvote-record/1"
#define TV_RECORD_CREDENTIALS "tenantvote-credentials/1"
#define TV_RECORD_CLOSE "tenantvote-close/1"
#define TV_RECORD_TALLY "tenantvote-record-tally/1"
#define TV_RECORD_TRANSCRIPT "tenantvote-ceremony-transcript/1"
/* the longest board.jsonl line: a ballot and its envelope */
#define TV_RECORD_LINE_MAX (TV_BALLOT_JSON_MAX + 1024)

#endif
