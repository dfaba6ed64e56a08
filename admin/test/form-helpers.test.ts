import { expect } from 'chai';
import { fieldLabel } from '../src/lib/forms/field-label.js';
import { placeProblems, splitProblem, under } from '../src/lib/forms/field-problems.js';
import { inlineCode } from '../src/lib/forms/inline-code.js';
import { accountMessages } from '../src/lib/messages/accounts.js';
import { formMessages } from '../src/lib/messages/forms.js';
import { keyMessages } from '../src/lib/messages/keys.js';

describe('form helpers of the admin', () => {
  it('splits help text at backtick pairs into code and plain parts, never markup', () => {
    expect(inlineCode('`*` matches <b>any</b> run; `/v1` too')).to.deep.equal([
      { text: '*', code: true },
      { text: ' matches <b>any</b> run; ', code: false },
      { text: '/v1', code: true },
      { text: ' too', code: false },
    ]);
    expect(inlineCode('a lone ` stays')).to.deep.equal([{ text: 'a lone ` stays', code: false }]);
    expect(inlineCode('')).to.deep.equal([]);
  });

  it('places API problems at their field, or the nearest parent a form shows, or lists them apart', () => {
    const shown = (path: string) => ['limits.windows.0.period', 'limits.binding', 'credentials.baseUrl'].includes(path);
    const placed = placeProblems(
      [
        'limits.windows[0].period: a duration such as "30m"',
        'limits.binding.account: too short',
        'limits.binding: bind to exactly one of account or group',
        'credentials.baseUrl: not a valid url',
        '(body): Unrecognized key: "x"',
        'somewhere.else: no field',
      ],
      shown,
    );
    expect(placed.byPath).to.deep.equal({
      'limits.windows.0.period': 'a duration such as "30m"',
      'limits.binding': 'too short; bind to exactly one of account or group',
      'credentials.baseUrl': 'not a valid url',
    });
    expect(placed.other).to.deep.equal(['(body): Unrecognized key: "x"', 'somewhere.else: no field']);
    expect(under(placed.byPath, 'credentials')).to.deep.equal({ baseUrl: 'not a valid url' });
    expect(splitProblem('no path here')).to.deep.equal({ path: undefined, message: 'no path here' });
  });

  it('labels an untitled field readably', () => {
    expect(fieldLabel('apiKey')).to.equal('API key');
    expect(fieldLabel('baseUrl')).to.equal('Base URL');
    expect(fieldLabel('maxTokens')).to.equal('Max tokens');
    expect(fieldLabel('oauthClientId')).to.equal('OAuth client ID');
    expect(fieldLabel('region')).to.equal('Region');
  });

  it('has the same keys, all non-empty, in English and Chinese in the keys, accounts and forms catalogs', () => {
    for (const catalog of [keyMessages, accountMessages, formMessages]) {
      expect(Object.keys(catalog['zh-CN']).sort()).to.deep.equal(Object.keys(catalog.en).sort());
      for (const [key, text] of Object.entries(catalog['zh-CN'])) {
        expect(text, key).to.not.equal('');
        // Placeholders survive translation.
        const names = (value: string) => [...value.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
        expect(names(text), key).to.deep.equal(names(catalog.en[key as keyof typeof catalog.en]));
      }
    }
  });
});
