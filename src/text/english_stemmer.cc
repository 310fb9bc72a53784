#include "src/text/english_stemmer.h"

namespace roxi::text {

namespace {

// One run of Porter's algorithm over b[0, k]. Indices follow the published description: k is the
// last letter of the current word, j the end of the stem a suffix test leaves (set by Ends).
class PorterRun {
 public:
  explicit PorterRun(std::string* b) : b_(*b), k_(static_cast<int>(b->size()) - 1) {}

  // Returns the new length of the word.
  size_t Run() {
    Step1ab();
    if (k_ > 0) {
      Step1c();
      Step2();
      Step3();
      Step4();
      Step5();
    }
    return static_cast<size_t>(k_ + 1);
  }

 private:
  // True if b[i] is a consonant: not a, e, i, o, u, and not a 'y' after a consonant.
  bool Cons(int i) const {
    switch (b_[i]) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        return false;
      case 'y':
        return i == 0 || !Cons(i - 1);
      default:
        return true;
    }
  }

  // The measure m of b[0, j]: the number of vowel-consonant sequences, [C](VC)^m[V].
  int M() const {
    int n = 0;
    int i = 0;
    while (true) {
      if (i > j_) return n;
      if (!Cons(i)) break;
      ++i;
    }
    ++i;
    while (true) {
      while (true) {
        if (i > j_) return n;
        if (Cons(i)) break;
        ++i;
      }
      ++i;
      ++n;
      while (true) {
        if (i > j_) return n;
        if (!Cons(i)) break;
        ++i;
      }
      ++i;
    }
  }

  bool VowelInStem() const {
    for (int i = 0; i <= j_; ++i) {
      if (!Cons(i)) return true;
    }
    return false;
  }

  // True if b[i-1, i] is a double consonant.
  bool DoubleC(int i) const { return i >= 1 && b_[i] == b_[i - 1] && Cons(i); }

  // True if b[i-2, i] is consonant-vowel-consonant and the last is not w, x or y: the short
  // syllables after which an 'e' is restored (hop(e), fil(e)).
  bool Cvc(int i) const {
    if (i < 2 || !Cons(i) || Cons(i - 1) || !Cons(i - 2)) return false;
    const char c = b_[i];
    return c != 'w' && c != 'x' && c != 'y';
  }

  // True if b[0, k] ends with s; then sets j to the end of the stem before it.
  bool Ends(std::string_view s) {
    const int n = static_cast<int>(s.size());
    if (n > k_ + 1 || b_[k_] != s.back()) return false;
    if (std::string_view(b_).substr(k_ - n + 1, n) != s) return false;
    j_ = k_ - n;
    return true;
  }

  // Replaces b[j+1, k] by s. b keeps the word's full length until Run returns, and every
  // replacement ends inside it: the longer ones (-at to -ate, adding -e) follow the removal of -ed
  // or -ing, which freed at least two letters.
  void SetTo(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) b_[j_ + 1 + static_cast<int>(i)] = s[i];
    k_ = j_ + static_cast<int>(s.size());
  }

  void R(std::string_view s) {
    if (M() > 0) SetTo(s);
  }

  // Plurals and -ed, -ing: caresses -> caress, ponies -> poni, cats -> cat, feed -> feed,
  // agreed -> agree, plastered -> plaster, motoring -> motor, hopping -> hop, filing -> file.
  void Step1ab() {
    if (b_[k_] == 's') {
      if (Ends("sses")) {
        k_ -= 2;
      } else if (Ends("ies")) {
        SetTo("i");
      } else if (k_ >= 1 && b_[k_ - 1] != 's') {
        --k_;
      }
    }
    if (Ends("eed")) {
      if (M() > 0) --k_;
    } else if ((Ends("ed") || Ends("ing")) && VowelInStem()) {
      k_ = j_;
      if (Ends("at")) {
        SetTo("ate");
      } else if (Ends("bl")) {
        SetTo("ble");
      } else if (Ends("iz")) {
        SetTo("ize");
      } else if (DoubleC(k_)) {
        --k_;
        const char c = b_[k_];
        if (c == 'l' || c == 's' || c == 'z') ++k_;
      } else {
        j_ = k_;
        if (M() == 1 && Cvc(k_)) SetTo("e");
      }
    }
  }

  // Terminal y to i when the stem holds a vowel: happy -> happi.
  void Step1c() {
    if (Ends("y") && VowelInStem()) b_[k_] = 'i';
  }

  // Double suffixes to single ones: relational -> relate, hopefulness -> hopeful (with m > 0).
  void Step2() {
    switch (b_[k_ - 1]) {
      case 'a':
        if (Ends("ational")) return R("ate");
        if (Ends("tional")) return R("tion");
        return;
      case 'c':
        if (Ends("enci")) return R("ence");
        if (Ends("anci")) return R("ance");
        return;
      case 'e':
        if (Ends("izer")) return R("ize");
        return;
      case 'l':
        if (Ends("bli")) return R("ble");
        if (Ends("alli")) return R("al");
        if (Ends("entli")) return R("ent");
        if (Ends("eli")) return R("e");
        if (Ends("ousli")) return R("ous");
        return;
      case 'o':
        if (Ends("ization")) return R("ize");
        if (Ends("ation")) return R("ate");
        if (Ends("ator")) return R("ate");
        return;
      case 's':
        if (Ends("alism")) return R("al");
        if (Ends("iveness")) return R("ive");
        if (Ends("fulness")) return R("ful");
        if (Ends("ousness")) return R("ous");
        return;
      case 't':
        if (Ends("aliti")) return R("al");
        if (Ends("iviti")) return R("ive");
        if (Ends("biliti")) return R("ble");
        return;
      case 'g':
        if (Ends("logi")) return R("log");
        return;
      default:
        return;
    }
  }

  // -ic-, -full, -ness and the like: electrical -> electric, goodness -> good.
  void Step3() {
    switch (b_[k_]) {
      case 'e':
        if (Ends("icate")) return R("ic");
        if (Ends("ative")) return R("");
        if (Ends("alize")) return R("al");
        return;
      case 'i':
        if (Ends("iciti")) return R("ic");
        return;
      case 'l':
        if (Ends("ical")) return R("ic");
        if (Ends("ful")) return R("");
        return;
      case 's':
        if (Ends("ness")) return R("");
        return;
      default:
        return;
    }
  }

  // Removes -ant, -ence and the like from a stem of measure > 1: adjustment -> adjust.
  void Step4() {
    bool found = false;
    switch (b_[k_ - 1]) {
      case 'a':
        found = Ends("al");
        break;
      case 'c':
        found = Ends("ance") || Ends("ence");
        break;
      case 'e':
        found = Ends("er");
        break;
      case 'i':
        found = Ends("ic");
        break;
      case 'l':
        found = Ends("able") || Ends("ible");
        break;
      case 'n':
        found = Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent");
        break;
      case 'o':
        found = (Ends("ion") && j_ >= 0 && (b_[j_] == 's' || b_[j_] == 't')) || Ends("ou");
        break;
      case 's':
        found = Ends("ism");
        break;
      case 't':
        found = Ends("ate") || Ends("iti");
        break;
      case 'u':
        found = Ends("ous");
        break;
      case 'v':
        found = Ends("ive");
        break;
      case 'z':
        found = Ends("ize");
        break;
      default:
        break;
    }
    if (found && M() > 1) k_ = j_;
  }

  // A final -e after a long stem, and -ll to -l: probate -> probat, controll -> control.
  void Step5() {
    j_ = k_;
    if (b_[k_] == 'e') {
      const int m = M();
      if (m > 1 || (m == 1 && !Cvc(k_ - 1))) --k_;
    }
    if (b_[k_] == 'l' && DoubleC(k_) && M() > 1) --k_;
  }

  std::string& b_;
  int k_;
  int j_ = 0;
};

bool IsLowerAsciiWord(std::string_view word) {
  for (const char c : word) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

}  // namespace

bool StemEnglish(std::string_view word, std::string* stem) {
  stem->assign(word);
  if (word.size() < 3 || !IsLowerAsciiWord(word)) return false;
  const size_t length = PorterRun(stem).Run();
  stem->resize(length);
  return length != word.size() || *stem != word;
}

}  // namespace roxi::text
