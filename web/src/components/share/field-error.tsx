// The message under a form field: ours or the server's (400/403/404 name the field), announced to screen readers.
export function FieldError({ field, message }: { field: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <small className="danger field-error" role="alert" data-error-for={field}>
      {message}
    </small>
  );
}
