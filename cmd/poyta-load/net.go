package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"sync/atomic"
	"syscall"
	"time"
)

// loopbackTarget checks that the server URL names this machine: poyta-load
// is a load generator, and it refuses to aim one anywhere else.
func loopbackTarget(ctx context.Context, raw string) (*url.URL, netip.Addr, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, netip.Addr{}, fmt.Errorf("--url %q: want http://127.0.0.1:PORT", raw)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, netip.Addr{}, fmt.Errorf("--url %q: want no path", raw)
	}
	u.Path = ""
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil || len(addrs) == 0 {
		return nil, netip.Addr{}, fmt.Errorf("--url %q: cannot resolve %s", raw, u.Hostname())
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return nil, netip.Addr{}, fmt.Errorf("--url %q: %s is not a loopback address; poyta-load only targets this machine", raw, a)
		}
	}
	// Dial exactly the address checked, never a name resolved again later.
	ip := addrs[0].Unmap()
	if u.Port() == "" {
		u.Host = net.JoinHostPort(ip.String(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	} else {
		u.Host = net.JoinHostPort(ip.String(), u.Port())
	}
	return u, ip, nil
}

// sourcePool hands out local addresses round-robin: 127.0.0.1, .2, …, so
// that 10,000 connections neither run out of ephemeral ports nor hit the
// server's cap of websockets per address.
type sourcePool struct {
	addrs []net.IP
	next  atomic.Uint64
}

func newSourcePool(target netip.Addr, n int) *sourcePool {
	p := &sourcePool{}
	if !target.Is4() || n <= 1 {
		p.addrs = []net.IP{nil} // the kernel's choice
		return p
	}
	for i := 1; i <= n; i++ {
		p.addrs = append(p.addrs, net.IPv4(127, 0, 0, byte(i)))
	}
	return p
}

// dialer returns a dial function bound to the next source address.
func (p *sourcePool) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	ip := p.addrs[int(p.next.Add(1)-1)%len(p.addrs)]
	d := net.Dialer{Timeout: 30 * time.Second}
	if ip != nil {
		d.LocalAddr = &net.TCPAddr{IP: ip}
	}
	return d.DialContext(ctx, network, addr)
}

// raiseFileLimit lifts the soft limit on open files to the hard limit,
// which 10,000 connections need; it returns the limit in force.
func raiseFileLimit() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
		}
	}
	return l.Cur
}
