import { z } from 'zod';
import { MONEY_MAX, MONEY_MAX_MESSAGE } from '../../shared/money.js';

/** A money amount in minor units, 0 … MONEY_MAX (src/shared/money.ts says why that cap). */
export const moneyAmount = z.number().int().min(0).max(MONEY_MAX, MONEY_MAX_MESSAGE).meta({
  description: `An integer number of minor units (kopecks), 0 … ${MONEY_MAX}`,
});
