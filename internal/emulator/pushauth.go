package emulator

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/alilive/terraform-provider-alilive/internal/urlsign"
)

// Ingest keys of destination hosts (Options.PushAuthKeys, -push-auth-key,
// SetPushAuthKey, POST /_emulator/pushauth): an ingest domain with URL
// signing on accepts a stream only at a URL that carries a valid type A
// auth_key (package urlsign). The real service checks the signature when
// the relay connects to the destination, which is when the task starts
// and at each of its retries; so does the emulator. The timestamp is taken
// as the last second the URL is accepted, as if the domain's validity
// period were 0 (the stricter of the documentation's readings; see
// package urlsign).

// normPushHost is the key under which a destination host's ingest key is
// kept: the host name in lower case, without a trailing dot.
func normPushHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
}

// checkPushHost rejects what is not a bare host name.
func checkPushHost(host string) error {
	if host == "" || strings.ContainsAny(host, ":/?#@ ") {
		return fmt.Errorf("push auth key: host %q must be a host name without scheme, port or path, such as push.example.com", host)
	}
	return nil
}

// ParsePushAuthKey reads the -push-auth-key flag's value HOST=KEY.
func ParsePushAuthKey(spec string) (host, key string, err error) {
	host, key, ok := strings.Cut(spec, "=")
	host = normPushHost(host)
	if !ok || key == "" {
		return "", "", fmt.Errorf("push auth key for %q: want HOST=KEY with a non-empty key", host)
	}
	if err := checkPushHost(host); err != nil {
		return "", "", err
	}
	return host, key, nil
}

// newPushAuthKeys checks Options.PushAuthKeys and keys it by normalised host.
func newPushAuthKeys(in map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(in))
	for h, k := range in {
		host := normPushHost(h)
		if err := checkPushHost(host); err != nil {
			return nil, err
		}
		if k == "" {
			return nil, fmt.Errorf("push auth key for %q: the key must not be empty", host)
		}
		out[host] = k
	}
	return out, nil
}

// SetPushAuthKey sets the ingest key of a destination host; "" removes it,
// so tasks pushing there need no auth_key. Tasks that already relay are
// not affected until they start again or retry.
func (s *Server) SetPushAuthKey(host, key string) error {
	host = normPushHost(host)
	if err := checkPushHost(host); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if key == "" {
		delete(s.pushAuth, host)
		return nil
	}
	s.pushAuth[host] = key
	return nil
}

// PushAuthHosts lists the destination hosts that have an ingest key, in
// order (never the keys).
func (s *Server) PushAuthHosts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	hosts := make([]string, 0, len(s.pushAuth))
	for h := range s.pushAuth {
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	return hosts
}

// pushAuthRejectsLocked reports whether t's destination host has an ingest
// key and t's DstUrl carries no auth_key valid for it at at; the reason is
// logged (without the key).
func (s *Server) pushAuthRejectsLocked(t *task, at time.Time) bool {
	u, err := url.Parse(t.DstUrl)
	if err != nil {
		return false
	}
	host := normPushHost(u.Hostname())
	key, ok := s.pushAuth[host]
	if !ok {
		return false
	}
	err = urlsign.Verify(t.DstUrl, key, at)
	if err != nil && s.logger != nil {
		s.logger.Info("push auth rejected", "task_id", t.ID, "host", host, "reason", err.Error())
	}
	return err != nil
}
