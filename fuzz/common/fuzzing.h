// What every harness shares: the pieces an input is cut into, and checks that fail loudly.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace Roomcast::Fuzz {

//! Where a harness feeds its input in several steps (frames of a stream, chunks of a TCP
//! stream, fields), the input is cut at this byte (ASCII unit separator). The fuzzer chooses
//! the cuts by inserting and removing it; an input without one is one piece.
inline constexpr char Separator = '\x1f';

inline QByteArrayView view(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

//! The pieces of `input` between separators, empty ones included.
inline QList<QByteArrayView> pieces(QByteArrayView input)
{
    QList<QByteArrayView> result;
    qsizetype start = 0;
    while (true) {
        const qsizetype end = input.indexOf(Separator, start);
        if (end < 0) {
            result.append(input.sliced(start));
            return result;
        }
        result.append(input.sliced(start, end - start));
        start = end + 1;
    }
}

//! Aborts (which libFuzzer reports as a crash, with the input) when an invariant is broken.
[[noreturn]] inline void fail(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    std::abort();
}

} // namespace Roomcast::Fuzz

#define FUZZ_CHECK(condition)                                                                                      \
    do {                                                                                                           \
        if (!(condition))                                                                                          \
            ::Roomcast::Fuzz::fail(#condition, __FILE__, __LINE__);                                                \
    } while (false)
