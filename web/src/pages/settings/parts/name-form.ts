import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FieldErrors, firstError, useFormSave } from '../api';

/**
 * A form of one name (a new pipeline, role, stage, list value): the input's props, a submit that
 * asks for a name first, and the save's state. The name is cleared once saved.
 */
export function useNameForm<T>(save: (name: string) => Promise<T>, onSaved: (saved: T) => void) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useFormSave({
    save: () => save(name.trim()),
    setErrors,
    onSuccess: (saved) => {
      setName('');
      setErrors({});
      onSaved(saved);
    },
  });
  return {
    input: {
      value: name,
      onChange: (e: React.ChangeEvent<HTMLInputElement>) => (setName(e.currentTarget.value), setErrors({})),
      error: firstError(errors),
    },
    submit: () => (name.trim() ? mutation.mutate() : setErrors({ name: t('common.required') })),
    pending: mutation.isPending,
  };
}
