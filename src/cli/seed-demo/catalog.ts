import type { StageSemantic } from '../../modules/pipelines/defaults.js';

// The demo company makes and repairs furniture: three directions (pipelines) with their stages,
// and a catalog with ОКЕИ units. Prices are in kopecks; VAT 22 % (the rate from 2026) or none.

export interface StageDraft {
  name: string;
  color: string;
  semantic: StageSemantic;
}

export interface PipelineDraft {
  key: 'general' | 'custom' | 'repair';
  name: string;
  /** null: the workspace's default pipeline «Общая», which already exists */
  stages: StageDraft[] | null;
  /** the deal amount range without product rows, rubles */
  amount: [number, number];
  /** share of the deals that go into this pipeline */
  weight: number;
  titles: string[];
}

export const PIPELINES: PipelineDraft[] = [
  {
    key: 'general',
    name: 'Общая',
    stages: null,
    amount: [30_000, 600_000],
    weight: 40,
    titles: ['Поставка офисной мебели', 'Мебель для переговорной', 'Оснащение нового офиса', 'Стеллажи для склада', 'Мебель для ресепшн', 'Кресла для колл-центра'],
  },
  {
    key: 'custom',
    name: 'Мебель на заказ',
    stages: [
      { name: 'Заявка', color: '#39a8ef', semantic: 'in_progress' },
      { name: 'Замер', color: '#2fc6f6', semantic: 'in_progress' },
      { name: 'Дизайн-проект и смета', color: '#55d0e0', semantic: 'in_progress' },
      { name: 'Производство', color: '#ffa900', semantic: 'in_progress' },
      { name: 'Доставка и монтаж', color: '#f7a700', semantic: 'in_progress' },
      { name: 'Сдано клиенту', color: '#7bd500', semantic: 'success' },
      { name: 'Отказ', color: '#ff5752', semantic: 'failure' },
    ],
    amount: [60_000, 900_000],
    weight: 40,
    titles: ['Кухонный гарнитур', 'Шкаф-купе в прихожую', 'Гардеробная', 'Детская комната', 'Встроенный шкаф', 'Мебель для гостиной', 'Кухня-гостиная'],
  },
  {
    key: 'repair',
    name: 'Ремонт мебели',
    stages: [
      { name: 'Заявка', color: '#39a8ef', semantic: 'in_progress' },
      { name: 'Диагностика', color: '#2fc6f6', semantic: 'in_progress' },
      { name: 'Согласование стоимости', color: '#ffa900', semantic: 'in_progress' },
      { name: 'Ремонт', color: '#f7a700', semantic: 'in_progress' },
      { name: 'Выполнено', color: '#7bd500', semantic: 'success' },
      { name: 'Отказ', color: '#ff5752', semantic: 'failure' },
    ],
    amount: [3_000, 60_000],
    weight: 20,
    titles: ['Перетяжка дивана', 'Ремонт кресла', 'Замена фурнитуры', 'Реставрация стульев', 'Ремонт шкафа', 'Перетяжка офисных кресел'],
  },
];

export interface ProductDraft {
  name: string;
  sku: string;
  unitCode: string;
  unitName: string;
  /** rubles */
  price: number;
  vatRate: '22' | 'none';
  pipeline: PipelineDraft['key'];
}

export const PRODUCTS: ProductDraft[] = [
  { name: 'Стол офисный 1400×700', sku: 'OF-101', unitCode: '796', unitName: 'шт', price: 14_900, vatRate: '22', pipeline: 'general' },
  { name: 'Кресло офисное «Менеджер»', sku: 'OF-201', unitCode: '796', unitName: 'шт', price: 11_500, vatRate: '22', pipeline: 'general' },
  { name: 'Тумба подкатная', sku: 'OF-102', unitCode: '796', unitName: 'шт', price: 6_400, vatRate: '22', pipeline: 'general' },
  { name: 'Стеллаж металлический', sku: 'OF-301', unitCode: '796', unitName: 'шт', price: 8_900, vatRate: '22', pipeline: 'general' },
  { name: 'Стойка ресепшн', sku: 'OF-401', unitCode: '796', unitName: 'шт', price: 74_000, vatRate: '22', pipeline: 'general' },
  { name: 'Стол переговорный на 10 мест', sku: 'OF-103', unitCode: '796', unitName: 'шт', price: 52_000, vatRate: '22', pipeline: 'general' },
  { name: 'Шкаф для документов', sku: 'OF-302', unitCode: '796', unitName: 'шт', price: 17_800, vatRate: '22', pipeline: 'general' },
  { name: 'Кухонный гарнитур (погонный метр)', sku: 'CU-101', unitCode: '018', unitName: 'пог. м', price: 48_000, vatRate: '22', pipeline: 'custom' },
  { name: 'Шкаф-купе на заказ', sku: 'CU-201', unitCode: '796', unitName: 'шт', price: 86_000, vatRate: '22', pipeline: 'custom' },
  { name: 'Столешница из кварцевого агломерата', sku: 'CU-102', unitCode: '055', unitName: 'м²', price: 32_000, vatRate: '22', pipeline: 'custom' },
  { name: 'Фасады МДФ эмаль', sku: 'CU-103', unitCode: '055', unitName: 'м²', price: 14_500, vatRate: '22', pipeline: 'custom' },
  { name: 'Дизайн-проект', sku: 'SV-101', unitCode: '876', unitName: 'усл. ед', price: 15_000, vatRate: 'none', pipeline: 'custom' },
  { name: 'Замер', sku: 'SV-102', unitCode: '876', unitName: 'усл. ед', price: 2_000, vatRate: 'none', pipeline: 'custom' },
  { name: 'Доставка по городу', sku: 'SV-103', unitCode: '876', unitName: 'усл. ед', price: 3_500, vatRate: '22', pipeline: 'custom' },
  { name: 'Монтаж мебели', sku: 'SV-104', unitCode: '356', unitName: 'ч', price: 1_800, vatRate: '22', pipeline: 'custom' },
  { name: 'Перетяжка дивана', sku: 'RP-101', unitCode: '796', unitName: 'шт', price: 18_000, vatRate: 'none', pipeline: 'repair' },
  { name: 'Перетяжка стула', sku: 'RP-102', unitCode: '796', unitName: 'шт', price: 2_900, vatRate: 'none', pipeline: 'repair' },
  { name: 'Замена фурнитуры', sku: 'RP-103', unitCode: '796', unitName: 'шт', price: 900, vatRate: '22', pipeline: 'repair' },
  { name: 'Ткань мебельная (велюр)', sku: 'RP-201', unitCode: '006', unitName: 'м', price: 1_450, vatRate: '22', pipeline: 'repair' },
  { name: 'Поролон мебельный', sku: 'RP-202', unitCode: '055', unitName: 'м²', price: 780, vatRate: '22', pipeline: 'repair' },
  { name: 'Работа мастера', sku: 'RP-301', unitCode: '356', unitName: 'ч', price: 1_500, vatRate: 'none', pipeline: 'repair' },
];
