#!/usr/bin/env python3
"""Independent oracle for the end-to-end tests (not anonlog's code).

usage:
  anonymization_oracle.py truth INPUT             print {"ips": [...]} for leakcheck.py
  anonymization_oracle.py leaks INPUT OUTPUT      addresses of INPUT still standing in OUTPUT
  anonymization_oracle.py chained OUTPUT ADDR...  exit 0 when every occurrence of each ADDR in
                                                  OUTPUT sits inside a longer dotted chain
  anonymization_oracle.py structure INPUT OUTPUT [REGEX]
                                                  check that only address-like tokens changed;
                                                  REGEX replaces the pattern of replaced tokens
  anonymization_oracle.py equivalent INPUT RESTORED [--hex64]
                                                  like structure with REDACTED tokens, but an
                                                  address may come back in another spelling
                                                  (canonical form, decimal octets); --hex64: a
                                                  run of 64 hex digits in INPUT may come back
                                                  as an address (ipcrypt-ndx cannot tell a
                                                  SHA-256 value from one of its tokens)
  anonymization_oracle.py leaks INPUT OUTPUT --all --mask V4BITS V6BITS
                                                  --all lists every leaked address; --mask drops
                                                  addresses that truncation leaves unchanged

truth: every address in INPUT as ../shared/tools/leakcheck.py finds them and counts them as
personal, except IPv4 look-alikes inside a longer dotted chain of numbers (OIDs such as
1.3.6.1.4.1 and version strings such as 15.10.1.1219), which the requirements say must stay.

structure: line by line, OUTPUT with every pseudonym (fdXX: followed by seven groups, also
percent-encoded), redaction marker and session-id token cut out must equal INPUT with one
run of address characters ([0-9A-Fa-f.:%]) cut out at each of those places. Prints
'lines=N replaced=M' or the first differing line and exits 1.
"""
import ipaddress, json, re, sys

V4 = re.compile(rb'(?<![0-9])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9])')
V6 = re.compile(rb'[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::\d{1,3}(?:\.\d{1,3}){3})?')
REPLACED = re.compile(
    rb'fd[0-9a-f]{2}(?::[0-9a-f]{1,4}){7}'
    rb'|fd[0-9a-f]{2}(?:%3[Aa][0-9a-f]{1,4}){7}'
    rb'|REDACTED'
    rb'|(?<="session_id":")[0-9a-f]{24}(?=")')


def personal(address):
    a = ipaddress.ip_address(address)
    return not (a.is_loopback or a.is_unspecified or a.is_reserved or a.is_multicast or a.is_link_local)


def in_longer_chain(data, match):
    start, end = match.span()
    before = data[max(0, start - 2):start]
    after = data[end:end + 2]
    return (len(before) == 2 and before[1:] == b'.' and before[:1].isdigit()) or \
           (len(after) == 2 and after[:1] == b'.' and after[1:].isdigit())


def truth(data):
    return sorted(a for a in scan(data) if personal(a))


def chained_only(data, address):
    pattern = re.compile(rb'(?<![0-9])' + re.escape(address.encode()) + rb'(?![0-9])')
    return all(in_longer_chain(data, m) for m in pattern.finditer(data))


def scan(data):
    found = set()
    for m in V4.finditer(data):
        octets = [int(x) for x in m.groups()]
        if all(x < 256 for x in octets) and not in_longer_chain(data, m):
            found.add('.'.join(map(str, octets)))
    for m in V6.finditer(data):
        text = m.group(0).decode()
        candidates = {text, text.rstrip(':')}
        parts = text.split(':')
        if len(parts) > 3 and parts[-1].isdigit():
            candidates.add(':'.join(parts[:-1]))
        for candidate in candidates:
            try:
                a = ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            if a.ipv4_mapped:
                found.add(str(a.ipv4_mapped))
            found.add(a.compressed)
    return found


def masked(address, v4bits, v6bits):
    a = ipaddress.ip_address(address)
    bits = v4bits if a.version == 4 else v6bits
    width = 32 if a.version == 4 else 128
    return str(ipaddress.ip_address(int(a) >> bits << bits)) if bits < width else str(ipaddress.ip_address(0 if a.version == 4 else '::'))


def canonical(line):
    """Every address spelled the same way: IPv6 compressed lower case, IPv4 without leading zeros."""
    def v6(m):
        text = m.group(0).decode()
        try:
            return ipaddress.IPv6Address(text).compressed.encode()
        except ValueError:
            return m.group(0)
    def v4(m):
        octets = [int(x) for x in m.groups()]
        return '.'.join(map(str, octets)).encode() if all(x < 256 for x in octets) else m.group(0)
    return V4.sub(v4, V6.sub(v6, line))


HEX64 = re.compile(rb'(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])')
# An IPv4 address glued after "x:" (a Debian epoch "1:1.7.5.4"): its IPv6 pseudonym merges with
# the "x:" into one longer run, which decryption cannot split back the same way.
GLUED_AFTER_COLON = re.compile(rb'[0-9A-Fa-f]:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d])')


def equivalent(data_in, data_out, hex64=False):
    lines_in = data_in.split(b'\n')
    lines_out = data_out.split(b'\n')
    if len(lines_in) != len(lines_out):
        print(f'line counts differ: in={len(lines_in)} out={len(lines_out)}')
        return 1
    ambiguous = 0
    for number, (line_in, line_out) in enumerate(zip(lines_in, lines_out), start=1):
        if line_in == line_out or canonical(line_in) == canonical(line_out):
            continue
        if GLUED_AFTER_COLON.search(line_in):
            ambiguous += 1
            continue
        pieces = re.split(rb'REDACTED', line_out)
        pattern = rb'[0-9A-Fa-f.:%]+'.join(re.escape(canonical(p)) for p in pieces)
        if hex64 and HEX64.search(line_in):
            # Each 64-hex run of the input may stand for any address in the restored line.
            pattern = re.escape(canonical(line_out))
            pattern = re.sub(rb'(?:[0-9a-f]{1,4}(?:\\:|:)){2,7}[0-9a-f]{1,4}|\d+\\\.\d+\\\.\d+\\\.\d+', rb'[0-9A-Fa-f.:]+', pattern)
            if re.fullmatch(pattern, canonical(line_in), re.DOTALL):
                continue
        if not re.fullmatch(pattern, canonical(line_in), re.DOTALL):
            print(f'line {number} differs:\n  in:  {line_in[:300]!r}\n  out: {line_out[:300]!r}')
            return 1
    print(f'lines={len(lines_in)} equivalent, {ambiguous} ambiguous')
    return 0 if ambiguous <= 3 else 1


def structure(data_in, data_out, tokens=REPLACED):
    lines_in = data_in.split(b'\n')
    lines_out = data_out.split(b'\n')
    if len(lines_in) != len(lines_out):
        print(f'line counts differ: in={len(lines_in)} out={len(lines_out)}')
        return 1
    replaced = 0
    for number, (line_in, line_out) in enumerate(zip(lines_in, lines_out), start=1):
        if line_in == line_out:
            continue
        pieces = tokens.split(line_out)
        replaced += len(pieces) - 1
        pattern = rb'(?:[0-9A-Fa-f.:%]+|[^"]*)'.join(re.escape(p) for p in pieces)
        # A session id token stands for any string value; an address token for address characters.
        if not re.fullmatch(pattern, line_in, re.DOTALL):
            print(f'line {number} differs outside replaced tokens:\n  in:  {line_in[:300]!r}\n  out: {line_out[:300]!r}')
            return 1
    print(f'lines={len(lines_in)} replaced={replaced}')
    return 0


def main():
    mode = sys.argv[1]
    data_in = open(sys.argv[2], 'rb').read()
    if mode == 'truth':
        json.dump({'ips': truth(data_in)}, sys.stdout)
        return 0
    if mode == 'leaks':
        ips = set(truth(data_in))
        if '--mask' in sys.argv:
            at = sys.argv.index('--mask')
            v4bits, v6bits = int(sys.argv[at + 1]), int(sys.argv[at + 2])
            ips = {a for a in ips if masked(a, v4bits, v6bits) != a}
        leaked = sorted(ips & scan(open(sys.argv[3], 'rb').read()))
        shown = leaked if '--all' in sys.argv else leaked[:10]
        print(f'leaks={len(leaked)}' + ''.join(f'\n  leaked: {a}' for a in shown))
        return 1 if leaked else 0
    if mode == 'equivalent':
        return equivalent(data_in, open(sys.argv[3], 'rb').read(), '--hex64' in sys.argv)
    if mode == 'chained':
        return 0 if all(chained_only(data_in, a) for a in sys.argv[3:]) else 1
    replaced = re.compile(sys.argv[4].encode()) if len(sys.argv) > 4 else REPLACED
    return structure(data_in, open(sys.argv[3], 'rb').read(), replaced)


sys.exit(main())
