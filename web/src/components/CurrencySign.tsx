import { Text } from '@mantine/core';
import { useFormat } from '../lib/use-format';

/** The unit beside a money input: «₽» for RUB (the code for a currency without a sign), the code as its tooltip. */
export function CurrencySign({ currency }: { currency: string }) {
  const fmt = useFormat();
  return (
    <Text size="xs" title={currency} data-testid="currency-sign">
      {fmt.currencySymbol(currency)}
    </Text>
  );
}
