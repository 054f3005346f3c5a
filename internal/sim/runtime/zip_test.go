package runtime

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func link(name, target string) zipItem {
	return zipItem{name, fs.ModeSymlink | 0o777, []byte(target)}
}

func file(name string) zipItem {
	return zipItem{name, 0o644, []byte("data of " + name)}
}

func TestValidateZip_refusesEscapes(t *testing.T) {
	for name, data := range map[string][]byte{
		"not a zip":                  []byte("PK? no, just text"),
		"parent escape":              zipOf(t, file("../evil")),
		"nested parent escape":       zipOf(t, file("a/../../evil")),
		"backslash escape":           zipOf(t, file(`..\evil`)),
		"absolute path":              zipOf(t, file("/etc/evil")),
		"windows drive":              zipOf(t, file(`C:\evil`)),
		"absolute symlink":           zipOf(t, link("passwd", "/etc/passwd")),
		"relative symlink escape":    zipOf(t, link("up", "../outside")),
		"deep relative symlink":      zipOf(t, link("a/b/up", "../../../outside")),
		"symlink loop":               zipOf(t, link("x", "y"), link("y", "x")),
		"write through symlink":      zipOf(t, link("dir", "sub"), file("dir/f")),
		"file through symlink to ..": zipOf(t, link("s", ".."), file("s/evil")),
		"parent is a file":           zipOf(t, file("a"), file("a/b")),
		"symlink and file same name": zipOf(t, file("x"), link("x", "y")),
		"link via link to the root": zipOf(t,
			// d/s -> .. is the root, so d/t -> s/.. is the root's parent, although it looks like d.
			link("d/s", ".."), link("d/t", "s/..")),
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidateZip(data)
			if !errors.Is(err, ErrInvalidZip) {
				t.Fatalf("ValidateZip = %v, want ErrInvalidZip", err)
			}
			dir := filepath.Join(t.TempDir(), "code")
			if err := ExtractZip(data, dir); !errors.Is(err, ErrInvalidZip) {
				t.Fatalf("ExtractZip = %v, want ErrInvalidZip", err)
			}
			if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) > 1 {
				t.Errorf("ExtractZip wrote beside its directory: %v", entries)
			}
		})
	}
}

func TestValidateZip_sizeQuota(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "huge", Method: zip.Store, CompressedSize64: 1, UncompressedSize64: maxUnzippedBytes + 1})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("x"))
	zw.Close()
	if err := ValidateZip(buf.Bytes()); !errors.Is(err, ErrInvalidZip) || !strings.Contains(err.Error(), "262144000") {
		t.Errorf("ValidateZip = %v", err)
	}
}

func TestValidateZip_corruptContent(t *testing.T) {
	data := zipOf(t, zipItem{"bootstrap", 0o755, []byte("0123456789abcdef")})
	i := bytes.Index(data, []byte("0123456789"))
	data[i] ^= 0xff // the checksum no longer matches
	if err := ValidateZip(data); !errors.Is(err, ErrInvalidZip) {
		t.Errorf("ValidateZip = %v, want ErrInvalidZip", err)
	}
}

func TestExtractZip_keepsModesAndLinks(t *testing.T) {
	data := zipOf(t,
		zipItem{"bootstrap", 0o755, []byte("#!/bin/sh\n")},
		zipItem{"lib/", fs.ModeDir | 0o755, nil},
		zipItem{"lib/data.txt", 0o640, []byte("hello")},
		file("./dotted/name.txt"),
		link("current", "lib/data.txt"),
		link("lib/self", "../lib"),
		link("root", "."),
	)
	if err := ValidateZip(data); err != nil {
		t.Fatalf("ValidateZip: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "code")
	if err := ExtractZip(data, dir); err != nil {
		t.Fatalf("ExtractZip: %v", err)
	}
	for name, want := range map[string]fs.FileMode{"bootstrap": 0o755, "lib/data.txt": 0o640, "dotted/name.txt": 0o644} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", name, info.Mode().Perm(), want)
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, "current"))
	if err != nil || string(got) != "hello" {
		t.Errorf("link current: %q, %v", got, err)
	}
	if target, _ := os.Readlink(filepath.Join(dir, "lib/self")); target != "../lib" {
		t.Errorf("link lib/self -> %q", target)
	}
	if err := ExtractZip(data, dir); err == nil || errors.Is(err, ErrInvalidZip) {
		t.Errorf("extracting into a non-empty directory: %v", err)
	}
}

// TestExtractZip_deflated: packages made by zip tools are deflated, and extraction verifies what it
// inflates.
func TestExtractZip_deflated(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	hdr.SetMode(0o755)
	w, _ := zw.CreateHeader(hdr)
	content := bytes.Repeat([]byte("#!/bin/sh\necho hello\n"), 1000)
	w.Write(content)
	zw.Close()
	data := buf.Bytes()
	if len(data) >= len(content) {
		t.Fatalf("not compressed")
	}
	dir := filepath.Join(t.TempDir(), "code")
	if err := ExtractZip(data, dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "bootstrap"))
	if err != nil || !bytes.Equal(got, content) {
		t.Errorf("inflated content differs (%v)", err)
	}
	if info, _ := os.Stat(filepath.Join(dir, "bootstrap")); info.Mode().Perm() != 0o755 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
}

func FuzzValidateZip(f *testing.F) {
	f.Add(zipOf(f, zipItem{"bootstrap", 0o755, []byte("#!/bin/sh\n")}, link("l", "bootstrap")))
	f.Add(zipOf(f, file("../evil")))
	f.Add(zipOf(f, link("d/s", ".."), link("d/t", "s/..")))
	f.Add(zipOf(f, link("s", "."), file("a/b"), zipItem{"a/", fs.ModeDir | 0o755, nil}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := ValidateZip(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidZip) {
				t.Fatalf("ValidateZip error %v does not wrap ErrInvalidZip", err)
			}
			return
		}
		// Whatever ValidateZip accepts extracts, and stays inside its directory.
		root := t.TempDir()
		dir := filepath.Join(root, "code")
		if err := ExtractZip(data, dir); err != nil {
			t.Fatalf("ExtractZip of a valid package: %v", err)
		}
		if entries, _ := os.ReadDir(root); len(entries) != 1 {
			t.Fatalf("extraction wrote beside its directory: %v", entries)
		}
		realDir, _ := filepath.EvalSymlinks(dir)
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			resolved, err := filepath.EvalSymlinks(p)
			if err != nil {
				return nil // dangling: points nowhere, so nowhere outside
			}
			if resolved != realDir && !strings.HasPrefix(resolved, realDir+"/") {
				t.Fatalf("link %s resolves outside the package, to %s", p, resolved)
			}
			return nil
		})
	})
}
