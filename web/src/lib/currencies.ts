/** The currencies a deal is offered in (a deal's own or the workspace's is added when not among them). */
export const DEAL_CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY', 'KZT', 'BYN'];

export const currencyChoices = (...keep: string[]): string[] => [...new Set([...DEAL_CURRENCIES, ...keep.filter(Boolean)])];
