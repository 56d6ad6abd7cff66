import type { ButtonHTMLAttributes } from 'react';

type Variant = 'default' | 'primary' | 'ghost';

const VARIANTS: Record<Variant, string> = {
  default: 'border border-gray-300 bg-white text-gray-900 hover:bg-gray-50',
  primary: 'border border-blue-700 bg-blue-700 text-white hover:bg-blue-800',
  ghost: 'border border-transparent bg-transparent text-gray-800 hover:bg-gray-100',
};

export function Button({ variant = 'default', className = '', type = 'button', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      type={type}
      className={`inline-flex items-center gap-1 rounded px-2.5 py-1 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50 aria-pressed:bg-blue-50 aria-pressed:ring-2 aria-pressed:ring-blue-600 ${VARIANTS[variant]} ${className}`}
      {...props}
    />
  );
}
