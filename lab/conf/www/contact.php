<?php
// facteur lab contact form. GET (and HEAD): the form, with a CSRF token bound to the PHP session
// cookie. POST: checks, then mails the message to the lab's form mailbox (mail() -> msmtp ->
// Postfix) and answers 303 See Other -> /thanks.php. Every refusal is its own status with a
// one-line text/plain reason that names the field. See lab/README.md.
declare(strict_types=1);

const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'];
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];
const FIELDS = ['name', 'email', 'subject', 'message', 'ref'];
const REQUIRED = ['name', 'email', 'message'];
// Fields that end up in mail headers (From/Reply-To/Subject): a CR or LF there would let the
// sender add headers or recipients of their own (mail header injection).
const HEADER_FIELDS = ['name', 'email', 'subject'];
const MAX_CHARS = ['name' => 200, 'email' => 254, 'subject' => 200];

function refuse(int $status, string $reason, array $headers = []): never
{
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    header('Cache-Control: no-store');
    foreach ($headers as $h) {
        header($h);
    }
    echo $status, ' ', $reason, "\n";
    exit;
}

function start_session(bool $read_only): void
{
    session_set_cookie_params([
        'path' => '/',
        'secure' => ($_SERVER['HTTPS'] ?? '') === 'on',
        'httponly' => true,
        'samesite' => 'Lax',
    ]);
    // read_and_close: no session lock held while the mail is sent, so parallel POSTs of one
    // session (load tests) do not queue behind each other.
    session_start($read_only ? ['read_and_close' => true] : []);
}

function html(string $s): string
{
    return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

// A display name for From/Reply-To: a quoted-string if printable ASCII, else an RFC 2047 word.
function display_name(string $s): string
{
    if (preg_match('/^[\x20-\x7e]*$/', $s)) {
        return '"' . addcslashes($s, '"\\') . '"';
    }
    return mb_encode_mimeheader($s, 'UTF-8', 'B', "\r\n");
}

function show_form(): void
{
    start_session(false);
    if (empty($_SESSION['csrf'])) {
        $_SESSION['csrf'] = bin2hex(random_bytes(32));
    }
    $token = $_SESSION['csrf'];
    session_write_close();
    $ref = 'web-' . bin2hex(random_bytes(8));
    header('Content-Type: text/html; charset=utf-8');
    header('Cache-Control: no-store');
    echo <<<HTML
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Contact - facteur lab</title></head>
<body>
<h1>Contact</h1>
<form method="post" action="/contact.php" enctype="multipart/form-data">
<input type="hidden" name="csrf_token" value="{$token}">
<input type="hidden" name="ref" value="{$ref}">
<p><label>Name <input name="name" required maxlength="200"></label></p>
<p><label>Email <input type="email" name="email" required maxlength="254"></label></p>
<p><label>Subject <input name="subject" maxlength="200"></label></p>
<p><label>Message<br><textarea name="message" required rows="8" cols="60"></textarea></label></p>
<p><label>Attachment (optional; the whole request at most 1 MiB) <input type="file" name="attachment"></label></p>
<p><button type="submit">Send</button></p>
</form>
</body>
</html>

HTML;
}

// The posted fields, checked; refuses the request at the first problem.
function checked_fields(): array
{
    $f = [];
    foreach (FIELDS as $k) {
        $v = $_POST[$k] ?? '';
        if (!is_string($v)) {
            refuse(400, "field $k: must be a single value");
        }
        if (!mb_check_encoding($v, 'UTF-8')) {
            refuse(400, "field $k: not valid UTF-8");
        }
        $f[$k] = $v;
    }
    foreach (HEADER_FIELDS as $k) {
        if (preg_match('/[\r\n\0]/', $f[$k])) {
            refuse(400, "field $k: CR, LF or NUL not allowed (mail header injection)");
        }
    }
    foreach (REQUIRED as $k) {
        if (trim($f[$k]) === '') {
            refuse(400, "field $k: required");
        }
    }
    foreach (MAX_CHARS as $k => $max) {
        if (mb_strlen($f[$k], 'UTF-8') > $max) {
            refuse(400, "field $k: longer than $max characters");
        }
    }
    $f['email'] = trim($f['email']);
    if (filter_var($f['email'], FILTER_VALIDATE_EMAIL) === false) {
        refuse(400, 'field email: not a valid address');
    }
    if ($f['ref'] !== '' && !preg_match('/^[A-Za-z0-9._:-]{1,64}$/', $f['ref'])) {
        refuse(400, 'field ref: 1 to 64 characters among A-Z a-z 0-9 . _ : -');
    }
    return $f;
}

// The uploaded attachment ['name', 'type', 'data'], or null when none was sent.
function checked_attachment(): ?array
{
    $a = $_FILES['attachment'] ?? null;
    if ($a === null) {
        return null;
    }
    if (is_array($a['error'])) {
        refuse(400, 'field attachment: one file only');
    }
    switch ($a['error']) {
        case UPLOAD_ERR_NO_FILE:
            return null;
        case UPLOAD_ERR_OK:
            break;
        case UPLOAD_ERR_INI_SIZE:
        case UPLOAD_ERR_FORM_SIZE:
            refuse(413, 'field attachment: too large');
        default:
            refuse(400, 'field attachment: upload failed (PHP upload error ' . $a['error'] . ')');
    }
    $type = preg_match('~^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$~i', $a['type']) ? $a['type'] : 'application/octet-stream';
    return ['name' => $a['name'], 'type' => $type, 'data' => file_get_contents($a['tmp_name'])];
}

function send_form(): void
{
    $ctype = strtolower(trim(explode(';', $_SERVER['CONTENT_TYPE'] ?? '', 2)[0]));
    if (!in_array($ctype, FORM_TYPES, true)) {
        refuse(415, 'Content-Type must be application/x-www-form-urlencoded or multipart/form-data',
            ['Accept-Post: ' . implode(', ', FORM_TYPES)]);
    }
    if ($_POST === [] && $_FILES === [] && (int)($_SERVER['CONTENT_LENGTH'] ?? 0) > 0) {
        refuse(400, 'the body could not be read as a form (multipart without boundary?)');
    }
    start_session(true);
    $expected = $_SESSION['csrf'] ?? '';
    $given = $_POST['csrf_token'] ?? '';
    if ($expected === '' || !is_string($given) || !hash_equals($expected, $given)) {
        refuse(403, 'field csrf_token: missing or not the token of this session (GET the form, send its cookie)');
    }
    $f = checked_fields();
    $attachment = checked_attachment();

    $message_id = '<form.' . bin2hex(random_bytes(12)) . '@lab.test>';
    $subject = $f['subject'] !== '' ? $f['subject'] : 'Contact form';
    $headers = [
        'From' => '"facteur lab contact form" <' . getenv('FACTEUR_FORM_FROM') . '>',
        'Reply-To' => display_name($f['name']) . ' <' . $f['email'] . '>',
        'Date' => date(DATE_RFC2822),
        'Message-ID' => $message_id,
        'MIME-Version' => '1.0',
    ];
    if ($f['ref'] !== '') {
        $headers['X-Facteur-Form-Id'] = $f['ref'];
    }
    $text = "Name: {$f['name']}\r\nEmail: {$f['email']}\r\n\r\n"
        . preg_replace('/\r\n|\r|\n/', "\r\n", $f['message']) . "\r\n";
    $text = quoted_printable_encode($text);
    if ($attachment === null) {
        $headers['Content-Type'] = 'text/plain; charset=UTF-8';
        $headers['Content-Transfer-Encoding'] = 'quoted-printable';
        $body = $text;
    } else {
        $boundary = '=_facteur_' . bin2hex(random_bytes(12));
        // PHP has already cut any path off the name. RFC 2231: a non-ASCII (or odd) file name
        // goes as filename*=UTF-8''percent-encoded, never raw into the header.
        $file = $attachment['name'] !== '' ? $attachment['name'] : 'attachment';
        $disposition = preg_match('/^[A-Za-z0-9._ -]{1,100}$/', $file)
            ? "filename=\"$file\"" : "filename*=UTF-8''" . rawurlencode($file);
        $headers['Content-Type'] = "multipart/mixed; boundary=\"$boundary\"";
        $body = "This is a MIME message.\r\n"
            . "--$boundary\r\n"
            . "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            . $text . "\r\n"
            . "--$boundary\r\n"
            . "Content-Type: {$attachment['type']}\r\n"
            . "Content-Disposition: attachment; $disposition\r\n"
            . "Content-Transfer-Encoding: base64\r\n\r\n"
            . chunk_split(base64_encode($attachment['data']), 76, "\r\n")
            . "--$boundary--\r\n";
    }
    // PHP's mail() passes a non-ASCII Subject through raw; RFC 2047 encoding is ours to do.
    $encoded_subject = mb_encode_mimeheader($subject, 'UTF-8', 'B', "\r\n");
    if (!mail(getenv('FACTEUR_FORM_RCPT'), $encoded_subject, $body, $headers)) {
        refuse(502, 'the mail could not be handed to the mail server (see log/msmtp.log)');
    }
    header('Location: /thanks.php', true, 303);
    header('X-Facteur-Message-Id: ' . $message_id);
    header('Content-Type: text/plain; charset=utf-8');
    header('Cache-Control: no-store');
    echo "303 sent, see /thanks.php\n";
}

$method = $_SERVER['REQUEST_METHOD'] ?? '';
if (!in_array($method, ALLOWED_METHODS, true)) {
    refuse(405, 'method not allowed', ['Allow: ' . implode(', ', ALLOWED_METHODS)]);
}
if ($method === 'POST') {
    send_form();
} else {
    show_form();
}
