// What a real administrator would do on a fresh install, through the API: two more
// pipelines, two departments and ten managers. The bulk data comes afterwards (generate.ts).
import { HttpClient, itemsOf } from './http-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server-process.js';

export const MANAGER_PASSWORD = 'bench-manager-password-0123456789';
export const MANAGERS = 10;
export const managerEmail = (i: number) => `manager${i}@bench.local`;

const EXTRA_PIPELINES = [
  {
    name: 'Проекты внедрения',
    stages: [
      ['Квалификация', '#39a8ef', 'in_progress'],
      ['Демонстрация', '#2fc6f6', 'in_progress'],
      ['Пилот', '#55d0e0', 'in_progress'],
      ['Договор', '#ffa900', 'in_progress'],
      ['Внедрено', '#7bd500', 'success'],
      ['Отказ', '#ff5752', 'failure'],
    ],
  },
  {
    name: 'Сервис и поставки',
    stages: [
      ['Заявка', '#39a8ef', 'in_progress'],
      ['Расчёт', '#2fc6f6', 'in_progress'],
      ['Счёт выставлен', '#ffa900', 'in_progress'],
      ['Оплата', '#ffcf00', 'in_progress'],
      ['Отгрузка', '#9dcf00', 'in_progress'],
      ['Закрыта', '#7bd500', 'success'],
      ['Отказ', '#ff5752', 'failure'],
    ],
  },
] as const;

/** Logs in with e-mail and password (cookie + CSRF) and creates a personal API token. */
export async function createToken(baseUrl: string, email: string, password: string, name: string): Promise<string> {
  const http = new HttpClient(baseUrl, 2);
  try {
    const login = await http.request('POST', '/api/v1/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`login as ${email} → ${login.status}: ${JSON.stringify(login.body).slice(0, 300)}`);
    const setCookie = login.headers['set-cookie'] ?? [];
    const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const csrf = (login.body as { csrfToken?: string }).csrfToken ?? '';
    const created = await http.ok<{ token: string }>('POST', '/api/v1/api-tokens', { name }, { cookie, 'x-csrf-token': csrf });
    if (!created.token) throw new Error('POST /api/v1/api-tokens returned no token');
    return created.token;
  } finally {
    http.close();
  }
}

export const adminToken = (baseUrl: string) => createToken(baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD, `bench ${new Date().toISOString()}`);

export async function setupViaApi(baseUrl: string, log: (line: string) => void): Promise<void> {
  const api = new HttpClient(baseUrl, 4).withToken(await adminToken(baseUrl), 4);
  try {
    const pipelines = itemsOf(await api.ok('GET', '/api/v1/pipelines'));
    for (const p of EXTRA_PIPELINES.slice(Math.max(0, pipelines.length - 1))) {
      await api.ok('POST', '/api/v1/pipelines', {
        name: p.name,
        stages: p.stages.map(([name, color, semantic]) => ({ name, color, semantic })),
      });
    }
    let departments = itemsOf<{ id: number }>(await api.ok('GET', '/api/v1/departments'));
    for (const name of ['Отдел продаж — Москва', 'Отдел продаж — регионы'].slice(departments.length)) {
      await api.ok('POST', '/api/v1/departments', { name });
    }
    departments = itemsOf(await api.ok('GET', '/api/v1/departments'));
    const roles = itemsOf<{ id: number; code: string | null }>(await api.ok('GET', '/api/v1/roles'));
    const managerRole = roles.find((r) => r.code === 'manager');
    if (!managerRole) throw new Error('no built-in role with code "manager"');
    const existing = new Set(itemsOf<{ email: string }>(await api.ok('GET', '/api/v1/users?limit=500')).map((u) => u.email));
    for (let i = 1; i <= MANAGERS; i++) {
      if (existing.has(managerEmail(i))) continue;
      await api.ok('POST', '/api/v1/users', {
        email: managerEmail(i),
        name: `Менеджер ${i}`,
        password: MANAGER_PASSWORD,
        departmentId: departments[i % departments.length]?.id ?? null,
        roleIds: [managerRole.id],
      });
    }
    log(`API set-up: 3 pipelines, ${departments.length} departments, ${MANAGERS} managers`);
  } finally {
    api.close();
  }
}
