package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// signatureWindow is how far a request's date may be from the emulator's
// base clock, in either direction.
const signatureWindow = 15 * time.Minute

const (
	acs3Algorithm  = "ACS3-HMAC-SHA256"
	emptyBodyHash  = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	apiVersion     = "2016-11-01"
	v2SignMethod   = "HMAC-SHA1"
	v2SignVersion  = "1.0"
	headerAction   = "x-acs-action"
	headerVersion  = "x-acs-version"
	headerDate     = "x-acs-date"
	headerNonce    = "x-acs-signature-nonce"
	headerSHA256   = "x-acs-content-sha256"
	headerSTSToken = "x-acs-security-token"
)

// percentEncode is the RFC 3986 encoding Alibaba Cloud signatures use.
func percentEncode(s string) string {
	e := url.QueryEscape(s)
	if strings.ContainsAny(e, "+*%") {
		e = strings.ReplaceAll(e, "+", "%20")
		e = strings.ReplaceAll(e, "*", "%2A")
		e = strings.ReplaceAll(e, "%7E", "~")
	}
	return e
}

// canonicalQuery sorts params by key and encodes key=value pairs. Only the
// first value of a repeated key is used, as the parameter reader does.
func canonicalQuery(v url.Values, skip string) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		if k != skip {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(percentEncode(k))
		b.WriteByte('=')
		b.WriteString(percentEncode(v.Get(k)))
	}
	return b.String()
}

// authResult is who signed a request.
type authResult struct {
	cred  Credential
	date  time.Time
	nonce string
}

// authenticate verifies the request's signature (ACS3 or legacy RPC) and
// returns the credential. It does not record the nonce.
func (s *Server) authenticate(r *http.Request, query, params url.Values, body []byte) (authResult, *apiError) {
	authz := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(authz, "ACS3-"):
		return s.verifyACS3(r, authz, query, body)
	case authz != "":
		return authResult{}, errIncomplete("the Authorization header uses an unsupported scheme; only ACS3-HMAC-SHA256 is accepted.")
	case params.Has("Signature") || params.Has("AccessKeyId") || params.Has("SignatureMethod"):
		return s.verifyV2(r, params)
	default:
		return authResult{}, errIncomplete("the request carries neither an Authorization header nor a Signature parameter.")
	}
}

func (s *Server) verifyACS3(r *http.Request, authz string, query url.Values, body []byte) (authResult, *apiError) {
	alg, rest, _ := strings.Cut(authz, " ")
	if alg != acs3Algorithm {
		return authResult{}, errIncomplete("the signature algorithm must be ACS3-HMAC-SHA256.")
	}
	var akID, signedList, sig string
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return authResult{}, errIncomplete("the Authorization header is malformed.")
		}
		switch k {
		case "Credential":
			akID = v
		case "SignedHeaders":
			signedList = v
		case "Signature":
			sig = v
		}
	}
	if akID == "" || signedList == "" || sig == "" {
		return authResult{}, errIncomplete("the Authorization header must carry Credential, SignedHeaders and Signature.")
	}
	signed := strings.Split(signedList, ";")
	signedSet := make(map[string]bool, len(signed))
	for _, h := range signed {
		signedSet[h] = true
	}
	for _, need := range []string{"host", headerDate, headerNonce, headerSHA256} {
		if !signedSet[need] {
			return authResult{}, errIncomplete("the header " + need + " must be signed.")
		}
	}
	for name := range r.Header {
		ln := strings.ToLower(name)
		if strings.HasPrefix(ln, "x-acs-") && !signedSet[ln] {
			return authResult{}, errIncomplete("the header " + ln + " is present but not signed.")
		}
	}
	for _, need := range []string{headerDate, headerNonce, headerSHA256} {
		if r.Header.Get(need) == "" {
			return authResult{}, errIncomplete("the header " + need + " is missing.")
		}
	}
	cred, ok := s.credential(akID)
	if !ok {
		return authResult{}, errAccessKeyNotFound()
	}
	date, ok := parseWireTime(r.Header.Get(headerDate))
	if !ok {
		return authResult{}, errTimeFormat()
	}
	if e := s.checkDate(date); e != nil {
		return authResult{}, e
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != r.Header.Get(headerSHA256) {
		return authResult{}, newErr(http.StatusBadRequest, CodeSignatureDoesNotMatch,
			"The header x-acs-content-sha256 does not match the SHA-256 of the request body.")
	}
	// Canonical request.
	var b strings.Builder
	b.Grow(512)
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query, ""))
	b.WriteByte('\n')
	for _, h := range signed {
		var v string
		if h == "host" {
			v = r.Host
		} else {
			v = strings.Join(r.Header.Values(h), ",")
		}
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(v))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(signedList)
	b.WriteByte('\n')
	b.WriteString(r.Header.Get(headerSHA256))
	crHash := sha256.Sum256([]byte(b.String()))
	stringToSign := acs3Algorithm + "\n" + hex.EncodeToString(crHash[:])
	mac := hmac.New(sha256.New, []byte(cred.AccessKeySecret))
	mac.Write([]byte(stringToSign))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return authResult{}, errSignatureMismatch(stringToSign)
	}
	if e := checkToken(cred, r.Header.Get(headerSTSToken)); e != nil {
		return authResult{}, e
	}
	return authResult{cred: cred, date: date, nonce: r.Header.Get(headerNonce)}, nil
}

func (s *Server) verifyV2(r *http.Request, params url.Values) (authResult, *apiError) {
	for _, need := range []string{"AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"} {
		if params.Get(need) == "" {
			return authResult{}, errMissing(need)
		}
	}
	if params.Get("Signature") == "" {
		return authResult{}, errIncomplete("the Signature parameter is missing.")
	}
	if m := params.Get("SignatureMethod"); m != v2SignMethod {
		return authResult{}, errInvalid("The parameter SignatureMethod must be HMAC-SHA1.")
	}
	if v := params.Get("SignatureVersion"); v != v2SignVersion {
		return authResult{}, errInvalid("The parameter SignatureVersion must be 1.0.")
	}
	cred, ok := s.credential(params.Get("AccessKeyId"))
	if !ok {
		return authResult{}, errAccessKeyNotFound()
	}
	date, ok := parseWireTime(params.Get("Timestamp"))
	if !ok {
		return authResult{}, errTimeFormat()
	}
	if e := s.checkDate(date); e != nil {
		return authResult{}, e
	}
	stringToSign := r.Method + "&%2F&" + percentEncode(canonicalQuery(params, "Signature"))
	mac := hmac.New(sha1.New, []byte(cred.AccessKeySecret+"&"))
	mac.Write([]byte(stringToSign))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(params.Get("Signature"))) {
		return authResult{}, errSignatureMismatch(stringToSign)
	}
	if e := checkToken(cred, params.Get("SecurityToken")); e != nil {
		return authResult{}, e
	}
	return authResult{cred: cred, date: date, nonce: params.Get("SignatureNonce")}, nil
}

// checkToken: an STS credential needs its token; a static key takes none.
func checkToken(cred Credential, got string) *apiError {
	if !hmac.Equal([]byte(cred.SecurityToken), []byte(got)) {
		return errTokenMismatch()
	}
	return nil
}

// checkDate compares a signed date with the base clock (Options.Now,
// without Advance), so that moving the emulator's clock forward does not
// invalidate the dates real clients sign with.
func (s *Server) checkDate(d time.Time) *apiError {
	now := s.baseNow()
	if d.Before(now.Add(-signatureWindow)) || d.After(now.Add(signatureWindow)) {
		return errExpired()
	}
	return nil
}

// useNonce records a nonce for an access key; false if seen within the
// signature window.
func (s *Server) useNonceLocked(akID, nonce string, date time.Time) bool {
	key := akID + "\x00" + nonce
	if exp, ok := s.nonces[key]; ok && s.baseNow().Before(exp) {
		return false
	}
	s.nonces[key] = date.Add(2 * signatureWindow)
	s.nonceAdds++
	if s.nonceAdds%4096 == 0 {
		now := s.baseNow()
		for k, exp := range s.nonces {
			if !now.Before(exp) {
				delete(s.nonces, k)
			}
		}
	}
	return true
}
