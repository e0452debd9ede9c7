import type { Locator, Page } from 'playwright-core';

// Steps on the automation screens shared by their browser tests (robots, messaging settings, the
// automation scenario).

/** On the robots screen: opens «Добавить робота» of a stage, picks the type, and returns the new robot's form. */
export async function addRobot(page: Page, stageName: string, typeTitle: string): Promise<Locator> {
  await page.getByRole('button', { name: `Добавить робота в стадию «${stageName}»` }).click();
  const picker = page.getByRole('dialog', { name: 'Какой робот?' });
  await picker.getByRole('button', { name: new RegExp(`^${typeTitle}`) }).click();
  const form = page.getByRole('dialog', { name: `Новый робот: ${typeTitle}` });
  await form.waitFor();
  return form;
}

/** On Settings → «Рассылки»: chooses SMS.ru with its api_id, sender and API address, and saves. */
export async function setUpSmsRu(page: Page, o: { apiId: string; sender: string; url: string }): Promise<void> {
  await page.getByRole('combobox', { name: 'Провайдер SMS' }).click();
  await page.getByRole('option', { name: 'SMS.ru' }).click();
  await page.getByLabel('api_id SMS.ru', { exact: true }).fill(o.apiId);
  await page.getByLabel('Имя отправителя SMS').fill(o.sender);
  await page.getByLabel('Адрес API (необязательно)').fill(o.url);
  await page.getByRole('button', { name: 'Сохранить' }).click();
}
