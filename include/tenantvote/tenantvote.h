/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file tenantvote.h
 * @brief Everything libtenantvote offers, in one include.
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

#endif
