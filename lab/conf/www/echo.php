<?php
// Echoes the request as nginx and PHP saw it, as JSON (any method): a check of what a client
// really sent. "body" is the raw body, except for multipart/form-data, which PHP consumes into
// "form" and "files"; "body_base64" replaces "body" when the body is not UTF-8.
declare(strict_types=1);

$files = [];
foreach ($_FILES as $field => $f) {
    foreach ((array)$f['error'] as $i => $error) {
        $tmp = is_array($f['tmp_name']) ? $f['tmp_name'][$i] : $f['tmp_name'];
        $files[] = [
            'field' => $field,
            'name' => is_array($f['name']) ? $f['name'][$i] : $f['name'],
            'type' => is_array($f['type']) ? $f['type'][$i] : $f['type'],
            'size' => is_array($f['size']) ? $f['size'][$i] : $f['size'],
            'error' => $error,
            'sha256' => $error === UPLOAD_ERR_OK ? hash_file('sha256', $tmp) : null,
        ];
    }
}
$raw = (string)file_get_contents('php://input');
$out = [
    'method' => $_SERVER['REQUEST_METHOD'] ?? '',
    'uri' => $_SERVER['REQUEST_URI'] ?? '',
    'protocol' => $_SERVER['SERVER_PROTOCOL'] ?? '',
    'https' => ($_SERVER['HTTPS'] ?? '') === 'on',
    // Objects even when empty ({} rather than []).
    'headers' => (object)getallheaders(),
    'query' => (object)$_GET,
    'form' => (object)$_POST,
    'files' => $files,
    'cookies' => (object)$_COOKIE,
    'body_length' => strlen($raw),
];
if (mb_check_encoding($raw, 'UTF-8')) {
    $out['body'] = $raw;
} else {
    $out['body_base64'] = base64_encode($raw);
}
header('Content-Type: application/json');
header('Cache-Control: no-store');
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE
    | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
