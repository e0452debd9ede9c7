import { Text } from '@mantine/core';
import { useFormat } from '../lib/use-format';

/** The unit beside a money input: «₽» for RUB (the code for a currency without a sign). */
export function CurrencySign({ currency }: { currency: string }) {
  const fmt = useFormat();
  return (
    <Text size="xs" data-testid="currency-sign">
      {fmt.currencySymbol(currency)}
    </Text>
  );
}
