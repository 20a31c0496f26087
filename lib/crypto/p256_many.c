/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Many running sums brought to affine coordinates at once (p256.h): one
 * field inversion for all of them by Montgomery's trick, where each on
 * its own would cost an inversion (about 270 multiplications). Public
 * data only.
 */
#include <string.h>

#include "p256.h"
#include "p256_field.h"

tv_status tv__p256_acc_get_many(tv_ctx *ctx, uint8_t (*out)[TV_POINT_BYTES], uint8_t *ok,
                                const tv__p256_acc *accs, size_t n)
{
	tv__fe *z = tv__calloc(ctx, 2 * (n ? n : 1), sizeof(*z));
	size_t k = 0;

	if (z == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu sums", n);
	for (size_t i = 0; i < n; i++) {
		ok[i] = !tv__fe_is_zero(accs[i].j.z);
		if (ok[i])
			tv__fe_copy(z[k++], accs[i].j.z);
	}
	tv__fe_batch_inv(z, z, z + n, k);
	k = 0;
	for (size_t i = 0; i < n; i++) {
		tv__p256_affine a;
		uint64_t zi2[4], zi3[4];

		if (!ok[i])
			continue;
		tv__fe_sqr(zi2, z[k]);
		tv__fe_mul(zi3, zi2, z[k]);
		tv__fe_mul(a.x, accs[i].j.x, zi2);
		tv__fe_mul(a.y, accs[i].j.y, zi3);
		tv__p256_encode(out[i], &a);
		k++;
	}
	tv__free(ctx, z);
	return TV_OK;
}
