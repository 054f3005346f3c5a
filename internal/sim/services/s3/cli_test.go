package s3

import (
	"bytes"
	"context"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestS3_awsCLI is the AWS CLI's happy path: mb, uploads (single and multipart), ls, a download,
// rm and rb.
func TestS3_awsCLI(t *testing.T) {
	cli, reason := simtest.FindAWSCLI()
	if cli == "" {
		t.Skip(reason)
	}
	e := newEnv(t)
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, append(args, "--endpoint-url", e.srv.URL, "--region", "us-east-1")...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_CONFIG_FILE=/dev/null",
			"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "AWS_DEFAULT_OUTPUT=json")
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %v: %v\nstdout: %s\nstderr: %s", cli, args, err, out.String(), errOut.String())
		}
		return out.String()
	}
	// Each CLI start costs seconds on a loaded machine, so few commands do much: sync uploads a
	// small file (PutObject) and a 10 MB one (above the CLI's 8 MB threshold: a multipart upload),
	// ls lists with a delimiter, cp downloads the big one (ranged GETs), rm deletes one object and
	// rb --force empties and deletes the bucket.
	up := filepath.Join(dir, "up")
	os.MkdirAll(filepath.Join(up, "docs"), 0o700)
	os.WriteFile(filepath.Join(up, "docs", "small file.txt"), []byte("from the command line\n"), 0o600)
	bigData := bytes.Repeat([]byte("0123456789"), 1_000_000)
	os.WriteFile(filepath.Join(up, "big.bin"), bigData, 0o600)

	run("s3", "mb", "s3://cli-bucket")
	e.putNotification(t, "cli-bucket", `<QueueConfiguration><Id>cli</Id><Queue>`+queueARN+`</Queue><Event>s3:ObjectRemoved:*</Event>`+
		`<Filter><S3Key><FilterRule><Name>prefix</Name><Value>docs/</Value></FilterRule></S3Key></Filter></QueueConfiguration>`)
	run("s3", "sync", up, "s3://cli-bucket")
	if got, _ := getBody(t, e.client, "cli-bucket", "docs/small file.txt"); got != "from the command line\n" {
		t.Fatalf("uploaded %q", got)
	}
	got, out := getBody(t, e.client, "cli-bucket", "big.bin")
	if got != string(bigData) || !strings.HasSuffix(*out.ETag, `-2"`) {
		t.Fatalf("big object: %d bytes, etag %s (want a 2-part multipart upload)", len(got), *out.ETag)
	}
	ls := run("s3", "ls", "s3://cli-bucket")
	if !strings.Contains(ls, "PRE docs/") || !strings.Contains(ls, "big.bin") {
		t.Fatalf("ls: %s", ls)
	}
	bigBack := filepath.Join(dir, "big.back")
	run("s3", "cp", "s3://cli-bucket/big.bin", bigBack)
	if data, _ := os.ReadFile(bigBack); !bytes.Equal(data, bigData) {
		t.Fatalf("downloaded %d bytes of the big file, want %d", len(data), len(bigData))
	}
	run("s3", "rm", "s3://cli-bucket/docs/small file.txt")
	waitFor(t, "the removal event", func() bool { return len(e.recorder("sqs").objectEvents()) == 1 })
	if rec := decodeEvent(t, e.recorder("sqs").objectEvents()[0]); rec.S3.Object.Key != "docs/small+file.txt" {
		t.Fatalf("event key %q", rec.S3.Object.Key)
	}
	run("s3", "rb", "s3://cli-bucket", "--force")
	if list, err := e.client.ListBuckets(ctx(), nil); err != nil || len(list.Buckets) != 0 {
		t.Fatalf("buckets left: %v %+v", err, list)
	}
}
