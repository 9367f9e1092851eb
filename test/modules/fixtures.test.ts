// Fixture tables of the modules without their own test file (args + facts + probe output -> plan).
import { apt, pkg } from '../../tasks/package.js';
import { service } from '../../tasks/service.js';
import { template } from '../../tasks/template.js';
import { ipAddress } from '../../tasks/ip_address.js';
import { slurp } from '../../tasks/slurp.js';
import { ping } from '../../tasks/ping.js';
import { raw } from '../../tasks/raw.js';
import { cron } from '../../tasks/cron.js';
import { fetch } from '../../tasks/fetch.js';
import { find } from '../../tasks/find.js';
import { iniFile } from '../../tasks/ini_file.js';
import { script } from '../../tasks/script.js';
import { stat } from '../../tasks/stat.js';
import { replace } from '../../tasks/replace.js';
import { blockinfile } from '../../tasks/blockinfile.js';
import { tempfile } from '../../tasks/tempfile.js';
import { fixtureTests } from '../helpers/modfixtures.js';

describe('module fixtures', () => {
  describe('package (apt, dnf, yum)', () => fixtureTests(pkg, 'package'));
  describe('service', () => fixtureTests(service, 'service'));
  describe('template', () => fixtureTests(template, 'template'));
  describe('ip_address', () => fixtureTests(ipAddress, 'ip_address'));
  describe('stat', () => fixtureTests(stat, 'stat'));
  describe('slurp', () => fixtureTests(slurp, 'slurp'));
  describe('ping', () => fixtureTests(ping, 'ping'));
  describe('raw', () => fixtureTests(raw, 'raw'));
  describe('tempfile', () => fixtureTests(tempfile, 'tempfile'));
  describe('blockinfile', () => fixtureTests(blockinfile, 'blockinfile'));
  describe('replace', () => fixtureTests(replace, 'replace'));
  describe('ini_file', () => fixtureTests(iniFile, 'ini_file'));
  describe('find', () => fixtureTests(find, 'find'));
  describe('fetch', () => fixtureTests(fetch, 'fetch'));
  describe('script', () => fixtureTests(script, 'script'));
  describe('cron', () => fixtureTests(cron, 'cron'));
  void apt;
});
