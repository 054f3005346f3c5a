package sns

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Message signatures. SNS signs every notification and confirmation it sends over HTTP/S (and
// puts the signature in the JSON envelope SQS and Lambda receive): SignatureVersion 1 is
// SHA1withRSA, 2 is SHA256withRSA, over the string built as "Verifying the signatures of Amazon
// SNS messages" describes, and SigningCertURL points at the X.509 certificate of the key.
//
// The simulator signs the same way with its own RSA key and self-signed certificate, generated
// once per data directory and kept in the store (so signatures stay verifiable across restarts),
// and serves the certificate at <endpoint>/SimpleNotificationService-<hash>.pem. A verifier
// that insists the certificate URL be on sns.<region>.amazonaws.com, as AWS's SDK helpers do,
// refuses it; a test can verify against the served certificate instead.

const certPathPrefix = "/SimpleNotificationService-"

type signer struct {
	key      *rsa.PrivateKey
	certPEM  []byte
	certPath string
}

type storedKey struct {
	Key  []byte `json:"key"`  // PKCS #8 DER
	Cert []byte `json:"cert"` // X.509 DER
}

func loadSigner(st *store.Store, clk clock.Clock) (*signer, error) {
	var sk storedKey
	err := st.Update(func(tx *store.Tx) error {
		err := tx.Get(bucketMeta, "signing-key", &sk)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return err
		}
		sk, err = newSigningKey(clk.Now())
		if err != nil {
			return err
		}
		return tx.Put(bucketMeta, "signing-key", &sk)
	})
	if err != nil {
		return nil, fmt.Errorf("sns: loading the signing key: %w", err)
	}
	k, err := x509.ParsePKCS8PrivateKey(sk.Key)
	if err != nil {
		return nil, fmt.Errorf("sns: decoding the signing key: %w", err)
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("sns: the stored signing key is not an RSA key")
	}
	sum := sha256.Sum256(sk.Cert)
	return &signer{
		key:      key,
		certPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: sk.Cert}),
		certPath: certPathPrefix + hex.EncodeToString(sum[:16]) + ".pem",
	}, nil
}

func newSigningKey(now time.Time) (storedKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return storedKey{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "sns.amazonaws.com (lambdatrigger simulator)", Organization: []string{"lambdatrigger simulator"}},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.AddDate(20, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return storedKey{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return storedKey{}, err
	}
	return storedKey{Key: der, Cert: cert}, nil
}

// certURL is SigningCertURL.
func (s *Service) certURL() string {
	return strings.TrimRight(s.cfg.Endpoint(), "/") + s.signer.certPath
}

func (s *Service) serveCertificate(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != s.signer.certPath {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/x-x509-ca-cert")
	w.Write(s.signer.certPEM)
}

// stringToSign builds the canonical string: "Name\nvalue\n" for each present field, in the
// documented order. Notifications sign Message, MessageId, Subject (if any), Timestamp,
// TopicArn, Type; confirmations sign Message, MessageId, SubscribeURL, Timestamp, Token,
// TopicArn, Type.
func stringToSign(fields [][2]string) string {
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f[0])
		b.WriteByte('\n')
		b.WriteString(f[1])
		b.WriteByte('\n')
	}
	return b.String()
}

// sign returns the base64 signature for version "1" (SHA1withRSA) or "2" (SHA256withRSA).
func (sg *signer) sign(version, canonical string) string {
	var (
		h      crypto.Hash
		digest []byte
	)
	if version == "2" {
		sum := sha256.Sum256([]byte(canonical))
		h, digest = crypto.SHA256, sum[:]
	} else {
		sum := sha1.Sum([]byte(canonical))
		h, digest = crypto.SHA1, sum[:]
	}
	sig, err := rsa.SignPKCS1v15(nil, sg.key, h, digest)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(sig)
}
