import { expect } from 'chai';
import { bareUsername, escapeFilterValue, fillFilter } from '../../src/auth/ldap-filter.js';

describe('LDAP filters from typed input (RFC 4515)', () => {
  it('escapes every character that has a meaning in a filter', () => {
    expect(escapeFilterValue('a*)(uid=*')).to.equal('a\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('back\\slash\0nul')).to.equal('back\\5cslash\\00nul');
    expect(escapeFilterValue('plain name é')).to.equal('plain name é');
  });

  it('fills placeholders with escaped values and leaves unknown ones', () => {
    expect(fillFilter('(&(objectClass=user)(sAMAccountName={username}))', { username: '*' })).to.equal(
      '(&(objectClass=user)(sAMAccountName=\\2a))',
    );
    expect(fillFilter('(|(uid={username})(mail={input}))(x={other})', { username: 'a', input: 'a@b' })).to.equal(
      '(|(uid=a)(mail=a@b))(x={other})',
    );
  });

  it('takes the account name out of the DOMAIN\\user and UPN forms', () => {
    expect(bareUsername('EXAMPLE\\alice')).to.equal('alice');
    expect(bareUsername('alice@corp.example')).to.equal('alice');
    expect(bareUsername('  alice ')).to.equal('alice');
    expect(bareUsername('@alice')).to.equal('@alice');
  });
});
