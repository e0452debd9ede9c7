import { pageOf } from '../../server/http/responses.js';
import { productOut } from './products.schema.js';

// zod schemas of the products API (response side), named for the OpenAPI document.

export const productSchema = productOut.meta({ id: 'Product' });
export const productPageSchema = pageOf(productSchema);
