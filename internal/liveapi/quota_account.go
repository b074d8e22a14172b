package liveapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The account that keys the client's limiters: the service counts its
// quota per account, so every key of one account (RAM users, sessions of
// an assumed role) must share one limiter. It comes from the
// configuration, from the role's ARN, or from STS GetCallerIdentity once
// per key, remembered under a hash of the key, never the key.

// accountCache holds the accounts this process has looked up, by the hash
// of the access key and STS endpoint.
var accountCache sync.Map

// accountKey names a key's entry in the caches: a hash, never the key.
func accountKey(keyID string, ep STSEndpoint) string {
	h := sha256.Sum256([]byte("alilive-account\x00" + ep.Host + "\x00" + keyID))
	return hex.EncodeToString(h[:])
}

// quotaIdentity is what keys the client's limiters: the account, when the
// configuration names it or STS tells it (once per key: remembered in this
// process and, when the limiters are shared, in a file under the shared
// directory named by a hash of the key); otherwise the access key ID, and
// the reason is handed to Warnings once.
func (c *Client) quotaIdentity() (string, error) {
	c.quotaMu.Lock()
	defer c.quotaMu.Unlock()
	if c.quota != "" {
		return c.quota, nil
	}
	if c.account != "" {
		c.quota = "account:" + c.account
		return c.quota, nil
	}
	keyID, err := c.identity()
	if err != nil {
		return "", err
	}
	if c.sts.Host == "" {
		c.quota = keyID
		return c.quota, nil
	}
	account, err := c.lookupAccount(keyID)
	if err != nil {
		c.quota, c.quotaLost = keyID, err
		return c.quota, nil
	}
	c.quota = "account:" + account
	return c.quota, nil
}

// lookupAccount finds the account of keyID in the caches or with STS.
func (c *Client) lookupAccount(keyID string) (string, error) {
	key := accountKey(keyID, c.sts)
	if v, ok := accountCache.Load(key); ok {
		if account, ok := v.(string); ok {
			return account, nil
		}
	}
	file := ""
	if dir, err := c.rateLimitDir(); err == nil && dir != "" {
		file = filepath.Join(dir, "accounts", key)
		if b, err := os.ReadFile(file); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			account := strings.TrimSpace(string(b))
			accountCache.Store(key, account)
			return account, nil
		}
	}
	account, err := CallerAccount(context.Background(), c.cred, c.sts)
	if err != nil {
		return "", err
	}
	accountCache.Store(key, account)
	if file != "" {
		writeAccountFile(file, account)
	}
	return account, nil
}

// writeAccountFile stores an account in the shared directory; a failure
// only costs the next process one more lookup.
func writeAccountFile(file, account string) {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".account-*")
	if err != nil {
		return
	}
	_, werr := tmp.WriteString(account + "\n")
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), file) != nil {
		_ = os.Remove(tmp.Name())
	}
}

// accountWarning is the warning for an account that could not be found,
// once per client.
func (c *Client) accountWarning() []Warning {
	c.quotaMu.Lock()
	defer c.quotaMu.Unlock()
	if c.quotaLost == nil || c.quotaWarned {
		return nil
	}
	c.quotaWarned = true
	return []Warning{{Summary: "Rate Limit Shared by Access Key Only", Message: fmt.Sprintf("The provider could "+
		"not find which Alibaba Cloud account its credentials act for (%s at %s: %s), so its rate limit counts "+
		"only the calls made with this access key: other keys of the same account (other RAM users, other "+
		"sessions of an assumed role) spend the account's quota of %g calls per second per operation without "+
		"it knowing, and their calls together may be throttled. Set account_id in the provider block (or "+
		"ALIBABA_CLOUD_ACCOUNT_ID) to the account's ID, or set sts_endpoint to an STS endpoint the provider "+
		"can reach.", OpGetCallerIdentity, c.sts.Host, c.scrub(c.quotaLost.Error()), c.rateLimit)}}
}
