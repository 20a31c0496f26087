/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file tenantvote.h
 * @brief Everything libtenantvote offers, in one include.
 */
/**
 * @mainpage libtenantvote
 *
 * Verifiable housing stock transfer ballots: a C17 library for the
 * returning officer's ballot box, tenants' voting devices, intake stations,
 * trustees and anyone who verifies the public record.
 *
 * Start with docs/integrating.md in the source tree: the calls in the
 * order an election runs, who frees what, threads and the ABI. Every file
 * format is fixed byte for byte in docs/SPEC.md. Here, each header is one
 * concept (see Files): context.h and common.h first, then manifest.h,
 * register.h, box.h, ballot.h, board.h, intake.h, tally.h, count.h and
 * record.h, roughly in the order an election uses them.
 */
#ifndef TENANTVOTE_H
#define TENANTVOTE_H

#include "common.h"
#include "context.h"
#include "group.h"
#include "elgamal.h"
#include "proof.h"
#include "signature.h"
#include "register.h"
#include "manifest.h"
#include "secretfile.h"
#include "credential.h"
#include "authority.h"
#include "ballot.h"
#include "ceremony.h"
#include "box.h"
#include "board.h"
#include "spoilt.h"
#include "intake.h"
#include "decrypt.h"
#include "count.h"
#include "tally.h"
#include "record.h"
#include "paper.h"

#endif
