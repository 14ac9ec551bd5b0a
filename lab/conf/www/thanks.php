<?php
// Where the contact form's 303 See Other leads.
declare(strict_types=1);
header('Content-Type: text/html; charset=utf-8');
header('Cache-Control: no-store');
?>
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Thank you - facteur lab</title></head>
<body>
<h1>Thank you</h1>
<p>Your message has been sent.</p>
</body>
</html>
