// The one Basic/Digest implementation (server/protocol/http-auth.ts), against the RFCs' own examples and the
// quirks cameras show. The probe, the snapshot fetch and the relay use it against simulated cameras in
// test/discovery/rtsp-probe.test.ts, test/media/snapshot.test.ts and test/media/relay.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HttpAuth } from '../../scripts/simulator/rtsp/auth';
import { chooseAuthorizer, parseChallenges, quoted } from '../../server/protocol/http-auth';

const MUFASA = { username: 'Mufasa', password: 'Circle of Life' };
/** The parameters of an Authorization value, read with the same grammar as a challenge. */
const fieldsOf = (authorization: string) => parseChallenges([authorization])[0]!.params;

describe('parseChallenges', () => {
  it('reads several challenges from one header and from several, commas and escaped quotes inside values', () => {
    const got = parseChallenges([
      'Digest realm="a, \\"b\\"", nonce="n1", qop="auth,auth-int", algorithm=MD5, Basic realm="x"',
      'basic realm=plain',
    ]);
    expect(got).toEqual([
      { scheme: 'digest', params: { realm: 'a, "b"', nonce: 'n1', qop: 'auth,auth-int', algorithm: 'MD5' } },
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'basic', params: { realm: 'plain' } },
    ]);
  });

  it('takes unquoted nonces with base64 characters, upper-case names, and survives garbage', () => {
    expect(parseChallenges(['Digest REALM=cam, NONCE=ab/c+d=='])).toEqual([{ scheme: 'digest', params: { realm: 'cam', nonce: 'ab/c+d==' } }]);
    expect(parseChallenges(['', '   ', '{}', 'Digest realm="unterminated'])).toEqual([{ scheme: 'digest', params: { realm: 'unterminated' } }]);
  });
});

describe('chooseAuthorizer', () => {
  it('Digest MD5 and SHA-256 give the responses of RFC 7616 §3.9.1', () => {
    const challenge = (algorithm: string) => `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, `
      + 'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const cnonce = () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
    const expected = { MD5: '8ca523f5e9506fed4657c9700eebdbec', 'SHA-256': '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1' };
    for (const [algorithm, response] of Object.entries(expected)) {
      const auth = chooseAuthorizer(parseChallenges([challenge(algorithm)]), MUFASA, { cnonce })!;
      expect(auth.scheme).toBe('digest');
      expect(fieldsOf(auth.authorization('GET', '/dir/index.html'))).toEqual({
        username: 'Mufasa', realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', uri: '/dir/index.html',
        response, qop: 'auth', nc: '00000001', cnonce: cnonce(), algorithm, opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      });
    }
  });

  it('Digest as RFC 2617 §3.5 (no algorithm named) and Basic as RFC 7617 §2', () => {
    const digest = chooseAuthorizer(parseChallenges(['Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"']),
      { username: 'Mufasa', password: 'Circle Of Life' }, { cnonce: () => '0a4f113b' })!;
    const fields = fieldsOf(digest.authorization('GET', '/dir/index.html'));
    expect(fields.response).toBe('6629fae49393a05397450978507c4ef1');
    expect(fields.algorithm).toBeUndefined();
    const basic = chooseAuthorizer(parseChallenges(['Basic realm="WallyWorld"']), { username: 'Aladdin', password: 'open sesame' })!;
    expect(basic.scheme).toBe('basic');
    expect(basic.authorization('GET', '/')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('quotes username, realm, nonce, uri, response, cnonce and opaque; never algorithm, qop or nc', () => {
    const auth = chooseAuthorizer(parseChallenges(['Digest realm="r", nonce="n", qop="auth", algorithm="MD5", opaque="o"']), MUFASA)!;
    const value = auth.authorization('DESCRIBE', 'rtsp://127.0.0.1/stream1');
    for (const name of ['username', 'realm', 'nonce', 'uri', 'response', 'cnonce', 'opaque']) expect(value).toMatch(new RegExp(`[ ,]${name}="[^"]*"`));
    // algorithm="MD5" in the challenge (seen on cameras, including our simulator) is still answered as a token.
    for (const name of ['algorithm', 'qop', 'nc']) expect(value).toMatch(new RegExp(`[ ,]${name}=[^", ]+(,|$)`));
  });

  it('escapes quotes and backslashes so realm and username read back as they were, and hashes the raw values', () => {
    const realm = 'Cam "Front\\Gate", 2';
    const creds = { username: 'op "x"', password: 'p\\w' };
    const auth = chooseAuthorizer(parseChallenges([`Digest realm=${quoted(realm)}, nonce="n"`]), creds)!;
    const fields = fieldsOf(auth.authorization('GET', '/snap.jpg'));
    expect(fields).toMatchObject({ realm, username: creds.username });
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    expect(fields.response).toBe(md5(`${md5(`${creds.username}:${realm}:${creds.password}`)}:n:${md5('GET:/snap.jpg')}`));
  });

  it('drops control characters from quoted values: a CR LF in a username cannot add a header', () => {
    const auth = chooseAuthorizer(parseChallenges(['Digest realm="r", nonce="n"']), { username: 'admin\r\nX-Injected: 1', password: 'pw' })!;
    expect(auth.authorization('GET', '/')).not.toMatch(/[\r\n]/);
  });

  it('counts nonce uses in nc and takes a fresh cnonce per request', () => {
    const auth = chooseAuthorizer(parseChallenges(['Digest realm="r", nonce="n", qop=auth']), MUFASA)!;
    const a = fieldsOf(auth.authorization('SETUP', 'rtsp://h/s/trackID=0'));
    const b = fieldsOf(auth.authorization('PLAY', 'rtsp://h/s'));
    expect([a.nc, b.nc]).toEqual(['00000001', '00000002']);
    expect(a.cnonce).not.toBe(b.cnonce);
  });

  it('prefers a Digest it can answer over Basic, whatever the order, and does not fake what it cannot do', () => {
    expect(chooseAuthorizer(parseChallenges(['Basic realm="r"', 'Digest realm="r", nonce="n"']), MUFASA)?.scheme).toBe('digest');
    // auth-int only, or an algorithm we do not have: Basic if offered, else nothing (never MD5 under another name).
    expect(chooseAuthorizer(parseChallenges(['Digest realm="r", nonce="n", qop="auth-int"', 'Basic realm="r"']), MUFASA)?.scheme).toBe('basic');
    expect(chooseAuthorizer(parseChallenges(['Digest realm="r", nonce="n", algorithm=SHA-512-256']), MUFASA)).toBeUndefined();
    expect(chooseAuthorizer(parseChallenges(['Digest realm="r"']), MUFASA)).toBeUndefined(); // no nonce
    expect(chooseAuthorizer(parseChallenges(['Negotiate abc==', 'Bearer realm="x"']), MUFASA)).toBeUndefined();
  });

  it('MD5-sess keeps its first client nonce for the session key', () => {
    const auth = chooseAuthorizer(parseChallenges(['Digest realm="r", nonce="n", qop=auth, algorithm=MD5-sess']), MUFASA, { cnonce: () => 'c1' })!;
    const f = fieldsOf(auth.authorization('GET', '/a'));
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${md5('Mufasa:r:Circle of Life')}:n:c1`);
    expect(f).toMatchObject({ algorithm: 'MD5-sess', cnonce: 'c1', response: md5(`${ha1}:n:00000001:c1:auth:${md5('GET:/a')}`) });
  });

  it('is accepted by the simulated camera, which offers Digest first and Basic second', () => {
    const camera = new HttpAuth('SimCam', () => ({ username: 'admin', password: 'pa"ss' }));
    const auth = chooseAuthorizer(parseChallenges(camera.challenges()), { username: 'admin', password: 'pa"ss' })!;
    expect(camera.check('DESCRIBE', auth.authorization('DESCRIBE', 'rtsp://127.0.0.1:8554/stream1'))).toBe('digest');
    const wrong = chooseAuthorizer(parseChallenges(camera.challenges()), { username: 'admin', password: 'nope' })!;
    expect(camera.check('DESCRIBE', wrong.authorization('DESCRIBE', 'rtsp://127.0.0.1:8554/stream1'))).toBe('rejected');
  });
});
