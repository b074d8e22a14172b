// What goes over the wire in either direction: the time format, JSON
// without HTML escaping, the IDs the emulator hands out, and the bound on
// a request body.

package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"time"
)

// timeLayout is the only time format accepted and produced on the wire.
const timeLayout = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseWireTime accepts exactly yyyy-MM-ddTHH:mm:ssZ.
func parseWireTime(s string) (time.Time, bool) {
	if len(s) != len(timeLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil || t.Format(timeLayout) != s {
		return time.Time{}, false
	}
	return t, true
}

// marshal encodes JSON without HTML escaping (URLs keep their '&').
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// newTaskID returns a random UUID-shaped identifier (version 4 layout).
func newTaskID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newRequestID returns an upper-case UUID-shaped request ID (not secret,
// so the fast non-cryptographic generator is enough).
func newRequestID() string {
	const digits = "0123456789ABCDEF"
	var out [36]byte
	hi, lo := mrand.Uint64(), mrand.Uint64()
	j := 0
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			out[j] = '-'
			j++
		}
		var nib uint64
		if i < 16 {
			nib = hi >> (60 - 4*uint(i)) & 0xf
		} else {
			nib = lo >> (60 - 4*uint(i-16)) & 0xf
		}
		out[j] = digits[nib]
		j++
	}
	return string(out[:])
}

// maxBody bounds a request body.
const maxBody = 1 << 20
