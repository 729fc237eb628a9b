package fsblob

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/crossbucket/crossbucket/internal/blob/blobtest"
)

const (
	benchSize  = 64 << 20
	benchChunk = 32 << 10 // io.Copy's buffer size
)

// BenchmarkWrite64MiB: Create, 32 KiB writes, Commit (fsync, rename,
// directory fsync) — against plain os.File write + fsync.
func BenchmarkWrite64MiB(b *testing.B) {
	chunk := blobtest.Data(1, benchChunk)
	b.Run("fsblob", func(b *testing.B) {
		s, _ := openTemp(b)
		b.SetBytes(benchSize)
		for b.Loop() {
			w, err := s.Create(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			for off := 0; off < benchSize; off += benchChunk {
				if _, err := w.Write(chunk); err != nil {
					b.Fatal(err)
				}
			}
			id, err := w.Commit()
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			s.Delete(id)
			b.StartTimer()
		}
	})
	b.Run("osfile", func(b *testing.B) {
		dir := b.TempDir()
		b.SetBytes(benchSize)
		for b.Loop() {
			f, err := os.Create(filepath.Join(dir, "baseline"))
			if err != nil {
				b.Fatal(err)
			}
			for off := 0; off < benchSize; off += benchChunk {
				if _, err := f.Write(chunk); err != nil {
					b.Fatal(err)
				}
			}
			if err := f.Sync(); err != nil {
				b.Fatal(err)
			}
			f.Close()
			b.StopTimer()
			os.Remove(f.Name())
			b.StartTimer()
		}
	})
}

// BenchmarkRead64MiB: Open and read a 64 MiB blob in 32 KiB reads (page
// cache warm) — against plain os.File reads of the same file.
func BenchmarkRead64MiB(b *testing.B) {
	s, dir := openTemp(b)
	id := blobtest.Write(b, s, blobtest.Data(2, benchSize), 1<<20)
	buf := make([]byte, benchChunk)
	b.Run("fsblob", func(b *testing.B) {
		b.SetBytes(benchSize)
		for b.Loop() {
			r, err := s.Open(id)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil || n != benchSize {
				b.Fatal(n, err)
			}
			r.Close()
		}
	})
	b.Run("osfile", func(b *testing.B) {
		path := filepath.Join(dir, id[0:2], id[2:4], id)
		b.SetBytes(benchSize)
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, buf); err != nil || n != benchSize {
				b.Fatal(n, err)
			}
			f.Close()
		}
	})
}
