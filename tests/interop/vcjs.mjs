// Interop with digitalbazaar's @digitalbazaar/vc (not a project dependency; see README.md here).
//   node vcjs.mjs make OUT.json            a VP (holder-signed, eddsa-rdfc-2022) of one OB 3.0 credential
//   node vcjs.mjs verify VP.json CHALLENGE DOMAIN   verify a VP; prints {"verified": bool, ...}, exit 0/1
// NODE_PATH must point at a node_modules with @digitalbazaar/{vc,data-integrity,eddsa-rdfc-2022-cryptosuite,
// ed25519-multikey}. JSON-LD contexts come only from this repository's pinned copies (verifier/contexts).
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const require = createRequire(join(process.env.NODE_PATH || process.cwd(), 'x.js'));
const vc = require('@digitalbazaar/vc');
const {DataIntegrityProof} = require('@digitalbazaar/data-integrity');
const {cryptosuite} = require('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const Ed25519Multikey = require('@digitalbazaar/ed25519-multikey');

const CONTEXTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'verifier', 'contexts');
const index = JSON.parse(readFileSync(join(CONTEXTS, 'index.json'), 'utf8'));

function didKeyDocument(did) {
  const fingerprint = did.slice('did:key:'.length);
  const vm = {id: `${did}#${fingerprint}`, type: 'Multikey', controller: did, publicKeyMultibase: fingerprint};
  return {vm, doc: {'@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [vm], authentication: [vm.id], assertionMethod: [vm.id]}};
}

async function documentLoader(url) {
  if(index[url]) {
    return {contextUrl: null, documentUrl: url,
      document: JSON.parse(readFileSync(join(CONTEXTS, index[url]), 'utf8'))};
  }
  if(url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const {vm, doc} = didKeyDocument(did);
    const document = fragment ? {'@context': 'https://w3id.org/security/multikey/v1', ...vm} : doc;
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`refused to load ${url}: not pinned`);
}

async function keyFromSeed(byte) {
  const key = await Ed25519Multikey.generate({seed: new Uint8Array(32).fill(byte)});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  return {key, did};
}

async function make(out) {
  const issuer = await keyFromSeed(7);
  const holder = await keyFromSeed(9);
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:5b3c8a52-7f0e-4c1e-9a57-1d2f3e4a5b6c',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {id: issuer.did, type: ['Profile'], name: 'Interop Test Issuer'},
    validFrom: '2025-01-15T00:00:00Z',
    name: 'Interop Badge',
    credentialSubject: {id: holder.did, type: ['AchievementSubject'], achievement: {
      id: 'https://interop.example/achievements/1', type: ['Achievement'], name: 'Interop Badge',
      description: 'Issued and presented with @digitalbazaar/vc.', criteria: {narrative: 'Interoperate.'}}},
  };
  const issued = await vc.issue({credential,
    suite: new DataIntegrityProof({signer: issuer.key.signer(), cryptosuite}), documentLoader});
  const presentation = vc.createPresentation({verifiableCredential: [issued], holder: holder.did, version: 2.0});
  const vp = await vc.signPresentation({presentation, challenge: 'interop-challenge-1', domain: 'verifier.example',
    suite: new DataIntegrityProof({signer: holder.key.signer(), cryptosuite}), documentLoader});
  writeFileSync(out, JSON.stringify(vp, null, 2) + '\n');
}

async function verify(file, challenge, domain) {
  const presentation = JSON.parse(readFileSync(file, 'utf8'));
  const suite = new DataIntegrityProof({cryptosuite});
  const result = await vc.verify({presentation, challenge, domain, suite, documentLoader});
  const errors = [];
  const walk = r => { if(r && r.error) errors.push(String(r.error.message || r.error)); };
  walk(result);
  walk(result.presentationResult);
  (result.credentialResults || []).forEach(walk);
  console.log(JSON.stringify({verified: result.verified,
    presentation: result.presentationResult && result.presentationResult.verified,
    credentials: (result.credentialResults || []).map(r => r.verified), errors}));
  process.exit(result.verified ? 0 : 1);
}

const [cmd, ...args] = process.argv.slice(2);
await (cmd === 'make' ? make(args[0]) : verify(args[0], args[1], args[2]));
